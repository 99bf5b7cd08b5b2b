/** One generated check per inspection event kind (scripts/inspectionEventChecks.ts): true when the value is valid. */
declare const inspectionEventChecks: Readonly<Record<string, ((value: unknown) => boolean) | undefined>>
export default inspectionEventChecks
