/**
 * The ports of the application layer: what the use cases ask of the outside world, in domain words.
 * `src/hubspot` implements them (`createHubSpotCrm`); the use cases and their tests see only these.
 */
export type * from './crm';
