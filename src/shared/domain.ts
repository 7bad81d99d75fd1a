/**
 * The download platform's vocabulary, shared by the main process (generator, engine, API) and
 * the renderer (controls, labels). Modes are `as const` lists with unions derived from them.
 */

export const CONTENT_TYPES = ['MOVIE', 'MUSIC', 'APP'] as const;
export type ContentType = (typeof CONTENT_TYPES)[number];

export const DEVICE_TYPES = ['IPHONE', 'IPAD', 'MAC', 'APPLE_TV', 'VISION_PRO'] as const;
export type DeviceType = (typeof DEVICE_TYPES)[number];

export const OPERATING_SYSTEMS = ['IOS', 'IPADOS', 'MACOS', 'TVOS', 'VISIONOS'] as const;
export type OperatingSystem = (typeof OPERATING_SYSTEMS)[number];

export const NETWORK_TYPES = [
  'WIFI',
  'ETHERNET',
  'CELLULAR_5G',
  'CELLULAR_4G',
  'CELLULAR_3G',
] as const;
export type NetworkType = (typeof NETWORK_TYPES)[number];

export const DOWNLOAD_STATUSES = ['SUCCESS', 'FAILED', 'SLOW'] as const;
export type DownloadStatus = (typeof DOWNLOAD_STATUSES)[number];

/** Regions are `AREA-City`; the area decides the default partition (see log/partitioner.ts). */
export const REGIONS = [
  'US-California',
  'US-NewYork',
  'US-Texas',
  'EU-London',
  'EU-Frankfurt',
  'EU-Paris',
  'ASIA-Tokyo',
  'ASIA-Singapore',
  'ASIA-Mumbai',
] as const;
export type Region = (typeof REGIONS)[number];

export const ERROR_CODES = [
  'NETWORK_TIMEOUT',
  'CONNECTION_RESET',
  'CDN_UNAVAILABLE',
  'CHECKSUM_MISMATCH',
  'STORAGE_FULL',
  'AUTH_EXPIRED',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** The outcome mix: the share of failed and of slow downloads; the rest succeed. */
export interface OutcomeMix {
  readonly failed: number;
  readonly slow: number;
}

export const DEFAULT_OUTCOME_MIX: OutcomeMix = { failed: 0.08, slow: 0.02 };
