import { afterAll } from 'vitest';
import { removeScratch } from '../tools/run-action.ts';
import { removeRepositories } from './helpers/git.ts';

// Every test file leaves no temporary workspace or runner folder behind.
afterAll(removeScratch);
afterAll(removeRepositories);
