/**
 * The on-demand bundle (dist/onDemand.js, esbuild.js lazyChunks): the code behind commands, loaded
 * the first time one of them runs rather than at activation. Import only through loadOnDemand().
 */
export { RemainingCopiesReport } from './detection/remainingCopies';
export { DetectedKeyCommands } from './detection/detectedKeyCommands';
export { WorkspaceScan } from './detection/workspaceScan';
export { KeyCommands } from './keys/keyCommands';
export { LeakedKeyResponse } from './keys/leakedKey';
export { RotationFlow } from './keys/rotation';
export { SettingsMigration } from './keys/settingsMigration';
export { GitHistoryScan } from './history/gitHistoryScan';
export { HistoryContentProvider } from './history/historyContent';
export { KeyIdentities } from './identity/keyIdentities';
export { IdentityHover } from './identity/identityHover';
export { DeactivateDetectedKey } from './identity/deactivateKey';
export { OrganisationUsageCommand } from './usage/organisationUsageCommand';
