import type { UpdateDefinition } from '@temporalio/common';
import { setHandler } from '@temporalio/workflow';
import type { Handler, UpdateHandlerOptions } from '@temporalio/workflow/lib/interfaces.js';

/**
 * setHandler for an Update whose definition is generic (one per row of an action table). The
 * SDK types the handler through a conditional type that the compiler cannot resolve while the
 * definition's arguments are still a type parameter; the signature here states the same thing
 * plainly, so callers stay fully typed.
 */
export function setUpdateHandler<Ret, Args extends unknown[], Name extends string>(
  definition: UpdateDefinition<Ret, Args, Name>,
  handler: (...args: Args) => Promise<Ret>,
  options: UpdateHandlerOptions<Args>,
): void {
  setHandler(definition, handler as Handler<Ret, Args, UpdateDefinition<Ret, Args, Name>>, options);
}
