import { isPost } from './github/state.js';
import { run } from './main.js';
import { run as runPost } from './post.js';

// The runner calls this one entry for both steps (action.yml `main` and `post`).
await (isPost() ? runPost() : run());
