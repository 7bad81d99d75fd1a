/**
 * Generates download events: who (user, device, OS version), where (region, network), what
 * (catalog title by popularity) and how it went (outcome, speed, duration, bytes, error), with
 * the live outcome mix, failure injections and late delivery applied.
 *
 * Deterministic: the same seed, settings and event times give the same events, byte for byte.
 * Fast: no allocation per event on the `generate` path (one scratch event is reused and handed
 * to the visitor, which encodes it before the next one is written over it).
 */
import { DEFAULT_OUTCOME_MIX, type DownloadStatus, type OutcomeMix } from '../../shared/domain';
import { requireNumberInRange } from '../../shared/validation-error';
import type { Content, Device, DownloadEvent } from '../events/download-event';
import { AliasSampler } from './alias-sampler';
import { buildCatalog, type CatalogItem } from './catalog';
import {
  effectiveMix,
  isActive,
  nextChangeAfter,
  validateInjectionSpec,
  validateOutcomeMix,
  type Injection,
  type InjectionSpec,
} from './failure-injection';
import {
  DEVICE_PROFILES,
  ERROR_WEIGHTS,
  linkKind,
  NETWORK_SPEED,
  REGION_WEIGHTS,
  SLOW_SPEED_FRACTION,
  TIMEOUT_MS,
  USER_POPULATION,
} from './platform-profile';
import { SeededRandom, standardNormal } from './seeded-random';

/** A share of events delivered late: their event time lies `delayMs` before their emission. */
export interface LateDelivery {
  readonly fraction: number;
  readonly delayMs: number;
}

export interface GeneratorOptions {
  readonly seed: string | number;
  /** A ready catalog; otherwise one is built from the seed. */
  readonly catalog?: readonly CatalogItem[];
  readonly catalogSize?: number;
  readonly outcomeMix?: OutcomeMix;
  readonly late?: LateDelivery;
}

type MutableEvent = { -readonly [K in keyof DownloadEvent]: DownloadEvent[K] };

/** Per (region, device) pair: failed threshold, failed+slow threshold, speed factor. */
const MIX_STRIDE = 3;

export class DownloadEventGenerator {
  readonly catalog: readonly CatalogItem[];
  /** The catalog's titles as they travel in events (without the sampling weights). */
  private readonly contents: readonly Content[];
  private readonly random: SeededRandom;
  private readonly contentSampler: AliasSampler;
  private readonly regionSampler = new AliasSampler(REGION_WEIGHTS.map(([, w]) => w));
  private readonly regions = REGION_WEIGHTS.map(([region]) => region);
  private readonly deviceSampler = new AliasSampler(DEVICE_PROFILES.map((p) => p.weight));
  private readonly versionSamplers = DEVICE_PROFILES.map(
    (p) => new AliasSampler(p.osVersions.map(([, w]) => w)),
  );
  private readonly devices: Device[][] = DEVICE_PROFILES.map((p) =>
    p.osVersions.map(([osVersion]) => Object.freeze({ type: p.type, os: p.os, osVersion })),
  );
  private readonly networkSamplers = DEVICE_PROFILES.map(
    (p) => new AliasSampler(p.networks.map(([, w]) => w)),
  );
  private readonly networks = DEVICE_PROFILES.map((p) => p.networks.map(([n]) => n));
  private readonly errorSamplers = {
    wired: new AliasSampler(ERROR_WEIGHTS.wired.map(([, w]) => w)),
    wireless: new AliasSampler(ERROR_WEIGHTS.wireless.map(([, w]) => w)),
    cellular: new AliasSampler(ERROR_WEIGHTS.cellular.map(([, w]) => w)),
  };
  private readonly users: string[];

  private baseMix: OutcomeMix;
  private late: LateDelivery;
  private injectionList: Injection[] = [];
  private nextInjectionId = 1;
  private readonly mixTable = new Float64Array(
    REGION_WEIGHTS.length * DEVICE_PROFILES.length * MIX_STRIDE,
  );
  /** The mix table holds for event times in [mixValidFrom, mixValidUntil). */
  private mixValidFrom = Infinity;
  private mixValidUntil = -Infinity;

  private readonly scratch: MutableEvent;

  constructor(options: GeneratorOptions) {
    this.random = new SeededRandom(`events:${options.seed}`);
    this.catalog =
      options.catalog ?? buildCatalog({ seed: options.seed, size: options.catalogSize });
    this.contentSampler = new AliasSampler(this.catalog.map((c) => c.popularity));
    this.contents = this.catalog.map(({ contentId, title, type, sizeBytes }) =>
      Object.freeze({ contentId, title, type, sizeBytes }),
    );
    this.baseMix = validateOutcomeMix(options.outcomeMix ?? DEFAULT_OUTCOME_MIX);
    this.late = validLate(options.late ?? { fraction: 0, delayMs: 0 });
    this.users = Array.from(
      { length: USER_POPULATION },
      (_, i) => `u${String(i).padStart(6, '0')}`,
    );
    this.scratch = {
      eventId: Buffer.alloc(16),
      eventTime: 0,
      userId: '',
      content: this.contents[0]!,
      region: '',
      device: this.devices[0]![0]!,
      network: 'WIFI',
      status: 'SUCCESS',
      speedMbps: 0,
      durationMs: 0,
      bytesDownloaded: 0,
      errorCode: null,
    };
  }

  get outcomeMix(): OutcomeMix {
    return this.baseMix;
  }

  setOutcomeMix(mix: OutcomeMix): void {
    this.baseMix = validateOutcomeMix(mix);
    this.invalidateMix();
  }

  get lateDelivery(): LateDelivery {
    return this.late;
  }

  setLateDelivery(late: LateDelivery): void {
    this.late = validLate(late);
  }

  /** Starts an injection at `now` (event time); it ends after its duration, if it has one. */
  inject(spec: InjectionSpec, now: number): Injection {
    validateInjectionSpec(spec);
    const durationMs = spec.durationMs ?? null;
    const injection: Injection = {
      ...spec,
      id: `inj-${this.nextInjectionId++}`,
      startsAt: now,
      endsAt: durationMs === null ? null : now + durationMs,
    };
    this.injectionList.push(injection);
    this.invalidateMix();
    return injection;
  }

  removeInjection(id: string): boolean {
    const before = this.injectionList.length;
    this.injectionList = this.injectionList.filter((i) => i.id !== id);
    this.invalidateMix();
    return this.injectionList.length < before;
  }

  clearInjections(): void {
    this.injectionList = [];
    this.invalidateMix();
  }

  /** Injections in force at `now`; expired ones are forgotten. */
  activeInjections(now: number): Injection[] {
    this.injectionList = this.injectionList.filter((i) => i.endsAt === null || i.endsAt > now);
    return this.injectionList.filter((i) => isActive(i, now));
  }

  /**
   * Generates `count` events emitted at `firstAt + i * intervalMs` and hands each to `visit`.
   * The event object is reused: `visit` must copy or encode it before returning.
   */
  generate(
    count: number,
    firstAt: number,
    intervalMs: number,
    visit: (event: DownloadEvent) => void,
  ): void {
    const e = this.scratch;
    const random = this.random;
    const table = this.mixTable;
    const deviceCount = DEVICE_PROFILES.length;
    const lateFraction = this.late.fraction;
    for (let i = 0; i < count; i++) {
      const emittedAt = Math.floor(firstAt + i * intervalMs);
      if (emittedAt >= this.mixValidUntil || emittedAt < this.mixValidFrom)
        this.compileMix(emittedAt);

      const r = this.regionSampler.sample(random);
      const d = this.deviceSampler.sample(random);
      const network = this.networks[d]![this.networkSamplers[d]!.sample(random)]!;
      const content = this.contents[this.contentSampler.sample(random)]!;
      e.device = this.devices[d]![this.versionSamplers[d]!.sample(random)]!;
      e.region = this.regions[r]!;
      e.content = content;
      e.network = network;
      e.userId = this.users[random.int(USER_POPULATION)]!;
      this.writeEventId(e.eventId);

      const k = (r * deviceCount + d) * MIX_STRIDE;
      const u = random.next();
      const status: DownloadStatus =
        u < table[k]! ? 'FAILED' : u < table[k + 1]! ? 'SLOW' : 'SUCCESS';
      const profile = NETWORK_SPEED[network];
      let speed =
        profile.medianMbps * Math.exp(profile.sigma * standardNormal(random)) * table[k + 2]!;
      e.status = status;
      e.errorCode = null;
      if (status === 'SUCCESS') {
        e.bytesDownloaded = content.sizeBytes;
      } else if (status === 'SLOW') {
        speed *= random.between(SLOW_SPEED_FRACTION.min, SLOW_SPEED_FRACTION.max);
        e.bytesDownloaded = content.sizeBytes;
      } else {
        const link = linkKind(network);
        e.errorCode = ERROR_WEIGHTS[link][this.errorSamplers[link].sample(random)]![0];
        speed *= random.between(0.3, 1);
        e.bytesDownloaded = Math.floor(content.sizeBytes * random.next() * 0.95);
      }
      // Speeds travel as Avro floats: round here so the event and its decoded copy agree.
      e.speedMbps = Math.fround(Math.max(0.01, Math.round(speed * 100) / 100));
      const transferMs = (e.bytesDownloaded * 8) / (e.speedMbps * 1000);
      e.durationMs = Math.round(transferMs) + (e.errorCode === 'NETWORK_TIMEOUT' ? TIMEOUT_MS : 0);
      e.eventTime =
        lateFraction > 0 && random.next() < lateFraction
          ? emittedAt - this.late.delayMs
          : emittedAt;
      visit(e);
    }
  }

  /** Like `generate`, but returns independent event objects (tests, previews). */
  take(count: number, firstAt: number, intervalMs: number): DownloadEvent[] {
    const events: DownloadEvent[] = [];
    this.generate(count, firstAt, intervalMs, (e) =>
      events.push({ ...e, eventId: Buffer.from(e.eventId) }),
    );
    return events;
  }

  private writeEventId(id: Buffer): void {
    const random = this.random;
    id.writeUInt32LE(random.nextUint32(), 0);
    id.writeUInt32LE(random.nextUint32(), 4);
    id.writeUInt32LE(random.nextUint32(), 8);
    id.writeUInt32LE(random.nextUint32(), 12);
    id[6] = (id[6]! & 0x0f) | 0x40; // version 4
    id[8] = (id[8]! & 0x3f) | 0x80; // RFC 4122 variant
  }

  private invalidateMix(): void {
    this.mixValidFrom = Infinity;
    this.mixValidUntil = -Infinity;
  }

  /** Rebuilds the (region, device) table for `time`; valid until the next injection starts or ends. */
  private compileMix(time: number): void {
    const table = this.mixTable;
    this.regions.forEach((region, r) => {
      DEVICE_PROFILES.forEach((device, d) => {
        const mix = effectiveMix(this.baseMix, this.injectionList, region, device.type, time);
        const k = (r * DEVICE_PROFILES.length + d) * MIX_STRIDE;
        table[k] = mix.failed;
        table[k + 1] = mix.failed + mix.slow;
        table[k + 2] = mix.speedFactor;
      });
    });
    let validFrom = -Infinity;
    for (const injection of this.injectionList) {
      if (injection.startsAt <= time) validFrom = Math.max(validFrom, injection.startsAt);
      if (injection.endsAt !== null && injection.endsAt <= time) {
        validFrom = Math.max(validFrom, injection.endsAt);
      }
    }
    this.mixValidFrom = validFrom;
    this.mixValidUntil = nextChangeAfter(this.injectionList, time);
  }
}

function validLate(late: LateDelivery): LateDelivery {
  return {
    fraction: requireNumberInRange('late.fraction', late.fraction, 0, 1),
    delayMs: requireNumberInRange('late.delayMs', late.delayMs, 0, 24 * 3600 * 1000),
  };
}
