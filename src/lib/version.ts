/** The software version reported in NodeInfo and /api/v1/instance. Bump with package.json. */
export const SOFTWARE_VERSION = "0.1.0";
export const SOFTWARE_NAME = "moltiverse";
