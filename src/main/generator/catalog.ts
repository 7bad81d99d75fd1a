/**
 * The content catalog: titles, types, sizes and popularity, built with faker from a seed so the
 * same seed always gives the same catalog.
 */
// The English locale alone: the package's main entry loads every locale, 16 MB of heap in each
// thread that imports this module (the catalog is built in the generator, the API and the CLI).
import type { Faker } from '@faker-js/faker';
import { faker as englishFaker } from '@faker-js/faker/locale/en';
import type { ContentType } from '../../shared/domain';
import type { Content } from '../events/download-event';

export interface CatalogItem extends Content {
  /** Relative popularity (Zipf by a shuffled rank); the generator samples by it. */
  readonly popularity: number;
}

export interface CatalogOptions {
  readonly seed: string | number;
  /** Number of titles (default 120). */
  readonly size?: number;
  /** Zipf exponent of popularity by rank (default 1.1: the top title gets ~10% of downloads). */
  readonly zipfExponent?: number;
}

/** Share of each content type in the catalog. */
const TYPE_SHARES: ReadonlyArray<readonly [ContentType, number]> = [
  ['MOVIE', 0.4],
  ['MUSIC', 0.35],
  ['APP', 0.25],
];

const ID_PREFIX: Record<ContentType, string> = { MOVIE: 'mov', MUSIC: 'mus', APP: 'app' };

/** Median size and spread (log-normal sigma) and bounds, per type. */
const SIZE_PROFILE: Record<
  ContentType,
  { median: number; sigma: number; min: number; max: number }
> = {
  MOVIE: { median: 2.5e9, sigma: 0.4, min: 7e8, max: 9e9 },
  MUSIC: { median: 9e6, sigma: 0.35, min: 2.5e6, max: 4e7 },
  APP: { median: 1.6e8, sigma: 1.1, min: 4e6, max: 4.5e9 },
};

const APP_SUFFIXES = [
  'Studio',
  'Pro',
  'Go',
  'Plus',
  'Lab',
  'Notes',
  'Pay',
  'Cam',
  'Fit',
  'Maps',
  'Hub',
  'Live',
];

export function buildCatalog(options: CatalogOptions): CatalogItem[] {
  const size = options.size ?? 120;
  if (!Number.isInteger(size) || size < 3)
    throw new RangeError(`catalog size must be an integer >= 3, got ${size}`);
  const exponent = options.zipfExponent ?? 1.1;
  // A faker of our own (the shared instance's seed is global state), with the same definitions.
  const faker: Faker = new (englishFaker.constructor as typeof Faker)({
    locale: englishFaker.rawDefinitions,
  });
  faker.seed(seedToInt(options.seed));

  const titlesSeen = new Set<string>();
  const uniqueTitle = (make: () => string): string => {
    for (let attempt = 0; ; attempt++) {
      const title = attempt < 5 ? make() : `${make()} ${attempt}`;
      if (!titlesSeen.has(title)) {
        titlesSeen.add(title);
        return title;
      }
    }
  };

  const counters: Record<ContentType, number> = { MOVIE: 0, MUSIC: 0, APP: 0 };
  const drafts: Content[] = [];
  TYPE_SHARES.forEach(([type, share], index) => {
    const count =
      index === TYPE_SHARES.length - 1 ? size - drafts.length : Math.round(size * share);
    for (let i = 0; i < count; i++) {
      counters[type] += 1;
      const profile = SIZE_PROFILE[type];
      const z = faker.number.float({ min: -2.5, max: 2.5 }) * 0.8;
      const sizeBytes = Math.round(
        Math.min(profile.max, Math.max(profile.min, profile.median * Math.exp(profile.sigma * z))),
      );
      drafts.push({
        contentId: `${ID_PREFIX[type]}-${String(counters[type]).padStart(4, '0')}`,
        title: uniqueTitle(() => titleFor(faker, type)),
        type,
        sizeBytes,
      });
    }
  });

  // Popularity by a shuffled rank, so the hits are a mix of types.
  const ranks = faker.helpers.shuffle(drafts.map((_, i) => i));
  return drafts.map((content, i) => ({
    ...content,
    popularity: 1 / Math.pow(ranks[i]! + 1, exponent),
  }));
}

function titleFor(faker: Faker, type: ContentType): string {
  switch (type) {
    case 'MOVIE':
      return faker.book.title();
    case 'MUSIC':
      return faker.music.songName();
    case 'APP':
      return `${capitalize(faker.word.noun())} ${faker.helpers.arrayElement(APP_SUFFIXES)}`;
  }
}

function capitalize(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

/** faker seeds with a number; string seeds are hashed (FNV-1a) to one. */
export function seedToInt(seed: string | number): number {
  if (typeof seed === 'number' && Number.isSafeInteger(seed)) return seed;
  let h = 0x811c9dc5;
  for (const ch of String(seed)) {
    h ^= ch.codePointAt(0)!;
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
