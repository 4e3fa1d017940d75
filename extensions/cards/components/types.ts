import type { FunctionParamsInput, FunctionUid } from '../../../src/app/view-models';

/**
 * Runs an action function and, on success, refetches the card and refreshes HubSpot's properties.
 * Resolves true when the function answered ok. Never throws.
 */
export type RunAction = <U extends FunctionUid>(uid: U, params: FunctionParamsInput<U>, successMessage: string) => Promise<boolean>;

/** The uid of the action in flight, or null. Buttons are disabled while one runs. */
export type Busy = FunctionUid | null;
