/** App function `update-task`: completes or snoozes one of the company's CS tasks from the card. */
import { updateCardTask } from '../src/app';
import { envelope, runFunction, type FunctionContext } from './lib/handler';

export async function main(context: FunctionContext) {
  return runFunction('update-task', context, async (p, deps) => envelope(await updateCardTask(deps, p)));
}
