/**
 * Who downloads, where and how: the weights that make the simulated traffic look like a real
 * platform's. Pure data; the generator compiles it into samplers.
 */
import type {
  DeviceType,
  ErrorCode,
  NetworkType,
  OperatingSystem,
  Region,
} from '../../shared/domain';

/** Share of traffic per region (the US west coast is the busiest). */
export const REGION_WEIGHTS: ReadonlyArray<readonly [Region, number]> = [
  ['US-California', 18],
  ['US-NewYork', 14],
  ['US-Texas', 10],
  ['EU-London', 13],
  ['EU-Frankfurt', 9],
  ['EU-Paris', 8],
  ['ASIA-Tokyo', 12],
  ['ASIA-Singapore', 8],
  ['ASIA-Mumbai', 8],
];

export interface DeviceProfile {
  readonly type: DeviceType;
  readonly weight: number;
  readonly os: OperatingSystem;
  /** OS versions in use, with their share (the newest ones dominate). */
  readonly osVersions: ReadonlyArray<readonly [string, number]>;
  readonly networks: ReadonlyArray<readonly [NetworkType, number]>;
}

export const DEVICE_PROFILES: readonly DeviceProfile[] = [
  {
    type: 'IPHONE',
    weight: 46,
    os: 'IOS',
    osVersions: [
      ['18.1', 38],
      ['18.0', 22],
      ['17.6', 25],
      ['16.7', 15],
    ],
    networks: [
      ['WIFI', 55],
      ['CELLULAR_5G', 24],
      ['CELLULAR_4G', 18],
      ['CELLULAR_3G', 3],
    ],
  },
  {
    type: 'IPAD',
    weight: 14,
    os: 'IPADOS',
    osVersions: [
      ['18.1', 40],
      ['17.6', 40],
      ['16.7', 20],
    ],
    networks: [
      ['WIFI', 86],
      ['CELLULAR_5G', 8],
      ['CELLULAR_4G', 6],
    ],
  },
  {
    type: 'MAC',
    weight: 24,
    os: 'MACOS',
    osVersions: [
      ['15.1', 45],
      ['14.7', 35],
      ['13.7', 20],
    ],
    networks: [
      ['WIFI', 70],
      ['ETHERNET', 30],
    ],
  },
  {
    type: 'APPLE_TV',
    weight: 12,
    os: 'TVOS',
    osVersions: [
      ['18.1', 60],
      ['17.6', 40],
    ],
    networks: [
      ['WIFI', 58],
      ['ETHERNET', 42],
    ],
  },
  {
    type: 'VISION_PRO',
    weight: 4,
    os: 'VISIONOS',
    osVersions: [
      ['2.1', 80],
      ['1.3', 20],
    ],
    networks: [['WIFI', 100]],
  },
];

/** Typical throughput per network: a log-normal around the median, in Mbit/s. */
export const NETWORK_SPEED: Record<
  NetworkType,
  { readonly medianMbps: number; readonly sigma: number }
> = {
  ETHERNET: { medianMbps: 320, sigma: 0.45 },
  WIFI: { medianMbps: 85, sigma: 0.55 },
  CELLULAR_5G: { medianMbps: 140, sigma: 0.6 },
  CELLULAR_4G: { medianMbps: 28, sigma: 0.55 },
  CELLULAR_3G: { medianMbps: 3.5, sigma: 0.5 },
};

/** A slow download runs at this fraction of the network's typical speed. */
export const SLOW_SPEED_FRACTION = { min: 0.02, max: 0.12 } as const;

/** Which errors a failed download reports: flaky links time out and reset more often. */
export const ERROR_WEIGHTS: Record<
  'wired' | 'wireless' | 'cellular',
  ReadonlyArray<readonly [ErrorCode, number]>
> = {
  wired: [
    ['CDN_UNAVAILABLE', 35],
    ['CHECKSUM_MISMATCH', 15],
    ['STORAGE_FULL', 25],
    ['AUTH_EXPIRED', 15],
    ['NETWORK_TIMEOUT', 5],
    ['CONNECTION_RESET', 5],
  ],
  wireless: [
    ['NETWORK_TIMEOUT', 25],
    ['CONNECTION_RESET', 25],
    ['CDN_UNAVAILABLE', 20],
    ['STORAGE_FULL', 15],
    ['AUTH_EXPIRED', 10],
    ['CHECKSUM_MISMATCH', 5],
  ],
  cellular: [
    ['NETWORK_TIMEOUT', 40],
    ['CONNECTION_RESET', 30],
    ['CDN_UNAVAILABLE', 12],
    ['STORAGE_FULL', 10],
    ['AUTH_EXPIRED', 6],
    ['CHECKSUM_MISMATCH', 2],
  ],
};

export function linkKind(network: NetworkType): keyof typeof ERROR_WEIGHTS {
  if (network === 'ETHERNET') return 'wired';
  if (network === 'WIFI') return 'wireless';
  return 'cellular';
}

/** Time a failed download waits before giving up, for errors that are time-outs. */
export const TIMEOUT_MS = 30_000;

/** Distinct users the simulation draws from. */
export const USER_POPULATION = 50_000;
