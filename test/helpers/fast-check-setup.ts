/**
 * fast-check in this suite: one pinned seed, so `npm test` (and CI) runs the same cases every time
 * and a failure reproduces. `npm run test:property:long` leaves the seed free and multiplies the
 * runs of the round-trip properties (NIANBAO_PROPERTY_SCALE); FC_SEED=<n> reruns a seed that
 * fast-check reported.
 */
import fc from "fast-check";

const PINNED_SEED = 20_261_126;

const env = process.env;
const seed = env["FC_SEED"] !== undefined ? Number(env["FC_SEED"]) : env["NIANBAO_PROPERTY_SCALE"] !== undefined ? undefined : PINNED_SEED;
if (seed !== undefined) fc.configureGlobal({ ...fc.readConfigureGlobal(), seed });
