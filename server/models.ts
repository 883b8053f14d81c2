// The models the stand-in knows: base models that can be fine-tuned (by their dated snapshot and
// their alias, as the real API accepts both) and the fine-tuned models its jobs produce.
import type { Model } from 'openai/resources/models';
import { ApiError, modelNotFound } from './errors.ts';

export type MethodType = 'supervised' | 'dpo' | 'reinforcement';

interface KnownModel {
  id: string;
  created: number;
  owned_by: string;
  /** The snapshot a job records as its `model` when this id is fine-tuned. */
  snapshot: string;
  methods: MethodType[];
}

const SUPERVISED_AND_DPO: MethodType[] = ['supervised', 'dpo'];

const SNAPSHOTS: Array<{ snapshot: string; alias: string | null; created: number; methods: MethodType[] }> = [
  {
    snapshot: 'gpt-4o-mini-2024-07-18',
    alias: 'gpt-4o-mini',
    created: 1721172717,
    methods: SUPERVISED_AND_DPO,
  },
  { snapshot: 'gpt-4o-2024-08-06', alias: 'gpt-4o', created: 1722814719, methods: SUPERVISED_AND_DPO },
  { snapshot: 'gpt-4.1-2025-04-14', alias: 'gpt-4.1', created: 1744315746, methods: SUPERVISED_AND_DPO },
  {
    snapshot: 'gpt-4.1-mini-2025-04-14',
    alias: 'gpt-4.1-mini',
    created: 1744317547,
    methods: SUPERVISED_AND_DPO,
  },
  {
    snapshot: 'gpt-4.1-nano-2025-04-14',
    alias: 'gpt-4.1-nano',
    created: 1744321025,
    methods: SUPERVISED_AND_DPO,
  },
  { snapshot: 'gpt-3.5-turbo-0125', alias: 'gpt-3.5-turbo', created: 1706048358, methods: ['supervised'] },
  { snapshot: 'gpt-3.5-turbo-1106', alias: null, created: 1698959748, methods: ['supervised'] },
  { snapshot: 'babbage-002', alias: null, created: 1692634615, methods: ['supervised'] },
  { snapshot: 'davinci-002', alias: null, created: 1692634301, methods: ['supervised'] },
  { snapshot: 'o4-mini-2025-04-16', alias: 'o4-mini', created: 1744133506, methods: ['reinforcement'] },
];

export class ModelCatalog {
  private readonly byId = new Map<string, KnownModel>();

  constructor() {
    for (const { snapshot, alias, created, methods } of SNAPSHOTS) {
      this.byId.set(snapshot, { id: snapshot, created, owned_by: 'system', snapshot, methods });
      if (alias) this.byId.set(alias, { id: alias, created, owned_by: 'system', snapshot, methods });
    }
  }

  /** Makes a model a finished job produced retrievable and fine-tunable in turn. */
  addFineTuned(id: string, base: string, created: number, owner: string): void {
    const methods = this.byId.get(base)?.methods ?? ['supervised'];
    this.byId.set(id, { id, created, owned_by: owner, snapshot: id, methods });
  }

  retrieve(id: string): Model {
    const model = this.byId.get(id);
    if (!model) throw modelNotFound(id);
    return { id: model.id, object: 'model', created: model.created, owned_by: model.owned_by };
  }

  /** The snapshot a known model id names (a base model's alias names its snapshot), or the API's 404. */
  snapshotOf(id: string): string {
    const model = this.byId.get(id);
    if (!model) throw modelNotFound(id);
    return model.snapshot;
  }

  /** Whether `id` is a base model (by its snapshot or alias), which Azure deploys as it does fine-tuned ones. */
  isBase(id: string): boolean {
    return this.byId.get(id)?.owned_by === 'system';
  }

  /** The snapshot a job on `id` trains, or a 400 when that model cannot be trained that way. */
  fineTuningTarget(id: string, method: MethodType): string {
    const model = this.byId.get(id);
    if (!model) {
      throw new ApiError(400, `Model ${id} is not available for fine-tuning or does not exist.`, {
        param: 'model',
        code: 'model_not_available',
      });
    }
    if (!model.methods.includes(method)) {
      throw new ApiError(400, `Model ${id} does not support the '${method}' fine-tuning method.`, {
        param: 'method.type',
        code: 'invalid_value',
      });
    }
    return model.snapshot;
  }
}
