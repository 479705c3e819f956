import type { Network } from './catalogue.js';
import { unitHash } from './random.js';

/**
 * Metric results made up from the seed: deterministic for the same seed, integration, reference key,
 * metrics, dimensions and period, and consistent with each other (a number is the total of the daily
 * series a chart of the same metric shows over the same days).
 */

type Dimension = string | { field: string; [key: string]: unknown };

/** One metric of a `getMetricsData` request, after schema validation. */
export interface MetricRequest {
  id: string;
  reference_key: string;
  component: string;
  metrics: string[];
  dimensions?: Dimension[];
  sort?: string[];
  custom?: Record<string, unknown>;
  container_type?: string;
  [key: string]: unknown;
}

export interface Period {
  /** ISO dates, inclusive. */
  start: string;
  end: string;
}

export interface GenerationContext {
  seed: string;
  /** The customer integration's uuid. */
  integration: string;
  network: Network;
  period: Period;
  comparison?: Period | undefined;
}

type Cell = string | number | null;

const DAY_MS = 86_400_000;

/** Dimensions whose values are days. */
const DATE_DIMENSIONS = new Set(['date', 'day', 'days', 'dateRange', 'date_start', 'stat_time_day', 'timeseries']);

/** Values of common breakdowns; any other dimension gets numbered values named after its label. */
const DIMENSION_VALUES: Record<string, readonly (string | number)[]> = {
  gender: ['Male', 'Female', 'Unknown'],
  userGender: ['male', 'female', 'unknown'],
  gender_view: ['Male', 'Female', 'Undetermined'],
  age: ['13-17', '18-24', '25-34', '35-44', '45-54', '55-64', '65+'],
  ageGroup: ['age13-17', 'age18-24', 'age25-34', 'age35-44', 'age45-54', 'age55-64', 'age65-'],
  age_range_view: ['18-24', '25-34', '35-44', '45-54', '55-64', '65+', 'Undetermined'],
  userAgeBracket: ['18-24', '25-34', '35-44', '45-54', '55-64', '65+'],
  city: ['São Paulo', 'Rio de Janeiro', 'Belo Horizonte', 'Curitiba', 'Porto Alegre', 'Salvador'],
  country: ['Brazil', 'United States', 'Portugal', 'Argentina', 'Mexico', 'Spain'],
  device: ['Desktop', 'Mobile', 'Tablet'],
  deviceCategory: ['desktop', 'mobile', 'tablet'],
  device_platform: ['desktop', 'mobile_app', 'mobile_web'],
  platform: ['Android', 'iOS', 'Web'],
  app_type: ['Web', 'iPhone', 'Android', 'iPad'],
  publisher_platform: ['facebook', 'instagram', 'messenger', 'audience_network'],
  clicks_breakdown: ['Email', 'Websites', 'Calls', 'Directions'],
  hour: Array.from({ length: 24 }, (_, hour) => hour),
  hourly_stats_aggregated_by_audience_time_zone: Array.from({ length: 24 }, (_, hour) => `${String(hour).padStart(2, '0')}:00:00 - ${String(hour).padStart(2, '0')}:59:59`),
  sessionDefaultChannelGroup: ['Organic Search', 'Direct', 'Organic Social', 'Referral', 'Paid Search', 'Email'],
  sessionSource: ['google', '(direct)', 'instagram.com', 'facebook.com', 'newsletter'],
  pin_format: ['Standard', 'Video', 'Carousel'],
  type: ['Contacts', 'Other submissions'],
};
const DEFAULT_VALUE_COUNT = 5;

const pad = (value: number) => String(value).padStart(2, '0');
const isoDay = (ms: number) => {
  const date = new Date(ms);
  return `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
};

/** Every day of a period, as ISO dates. */
function daysOf(period: Period): string[] {
  const days: string[] = [];
  for (let ms = Date.parse(`${period.start}T00:00:00Z`), end = Date.parse(`${period.end}T00:00:00Z`); ms <= end; ms += DAY_MS) days.push(isoDay(ms));
  return days;
}

const dimensionName = (dimension: Dimension) => (typeof dimension === 'string' ? dimension : dimension.field);

function isDateDimension(network: Network, dimension: Dimension): boolean {
  const name = dimensionName(dimension);
  return DATE_DIMENSIONS.has(name) || network.dimensions[name]?.isDate === true;
}

/** How a metric's values look. */
type Kind = 'count' | 'ratio' | 'percentage' | 'money' | 'date' | 'text' | 'latest';

function kindOf(network: Network, metric: string): Kind {
  const setup = network.metrics[metric];
  const name = metric.toLowerCase();
  if (setup?.isDate || name === 'date' || name === 'created_at' || name.endsWith('_date')) return 'date';
  if (name === 'type' || name === 'name' || name === 'title') return 'text';
  if (setup?.formatting_function === 'percentage' || /percent|_rate|rate$|retention/.test(name)) return 'percentage';
  if (/ctr|ratio/.test(name)) return 'ratio';
  if (setup?.formatting_function === 'currency' || /cost|spend|revenue|value|cpc|cpm|ticket|price|amount|micro/.test(name)) return 'money';
  if (setup?.group_by === 'latest_value' || /^followers$|followers_count|subscribers$|fans$/.test(name)) return 'latest';
  return 'count';
}

const round = (value: number, decimals: number) => Math.round(value * 10 ** decimals) / 10 ** decimals;

/** Generates the values of one metric request. */
class Generator {
  /**
   * What narrows the series, part of every value's key: the dimensions other than dates, and the
   * entity or filters the request restricts it to. Computed once: every value reads it.
   */
  private readonly filter: string;
  private readonly prefix: string;
  private readonly kinds = new Map<string, Kind>();
  private readonly scales = new Map<string, number>();

  constructor(
    private readonly context: GenerationContext,
    private readonly request: MetricRequest,
  ) {
    const { entity_id: entity, entity_type: type, filters } = request;
    this.filter = JSON.stringify([(request.dimensions ?? []).filter((dimension) => !isDateDimension(context.network, dimension)), entity ?? null, type ?? null, filters ?? null]);
    this.prefix = [context.seed, context.integration].join('\u0000');
  }

  private get network() {
    return this.context.network;
  }

  private unit(...parts: (string | number)[]): number {
    return unitHash([this.prefix, ...parts].join('\u0000'));
  }

  private readonly dayLists = new Map<string, string[]>();

  /** The days of a period, listed once per request. */
  private days(period: Period): string[] {
    const key = `${period.start}/${period.end}`;
    let days = this.dayLists.get(key);
    if (days === undefined) this.dayLists.set(key, (days = daysOf(period)));
    return days;
  }

  private kind(metric: string): Kind {
    let kind = this.kinds.get(metric);
    if (kind === undefined) this.kinds.set(metric, (kind = kindOf(this.network, metric)));
    return kind;
  }

  /** The metric's value on one day, for one breakdown value (`slice`, '' for the whole). */
  daily(metric: string, day: string, slice = ''): number {
    const kind = this.kind(metric);
    let scale = this.scales.get(metric);
    if (scale === undefined) this.scales.set(metric, (scale = 10 ** (1 + Math.floor(this.unit('scale', metric, this.filter) * 4))));
    const noise = this.unit('daily', metric, this.filter, slice, day);
    switch (kind) {
      case 'percentage':
        return round(100 * (0.05 + 0.6 * noise), 2);
      case 'ratio':
        return round(0.001 + 0.1 * noise, 6);
      case 'money':
        return round(scale * (0.5 + noise), 2);
      case 'latest':
        return Math.round(scale * 100 * (0.9 + 0.1 * noise));
      default:
        return Math.round(scale * (0.5 + noise));
    }
  }

  /** The metric over a period: the sum of its days, their mean for rates, the last day for levels. */
  total(metric: string, period: Period, slice = ''): number {
    const days = this.days(period);
    const kind = this.kind(metric);
    if (kind === 'latest') return this.daily(metric, days[days.length - 1]!, slice);
    const sum = days.reduce((total, day) => total + this.daily(metric, day, slice), 0);
    if (kind === 'percentage') return round(sum / days.length, 2);
    if (kind === 'ratio') return round(sum / days.length, 6);
    if (kind === 'money') return round(sum, 2);
    return sum;
  }

  /** A cell of a table: numbers for measures, dates or words for the others. */
  cell(metric: string, slice: string, day: string | undefined): Cell {
    const kind = this.kind(metric);
    const { period } = this.context;
    if (kind === 'date') {
      if (day !== undefined) return day;
      const days = this.days(period);
      return days[Math.floor(this.unit('date', metric, slice) * days.length)]!;
    }
    if (kind === 'text') return ['IMAGE', 'VIDEO', 'CAROUSEL_ALBUM'][Math.floor(this.unit('text', metric, slice, day ?? '') * 3)]!;
    return day === undefined ? this.total(metric, period, slice) : this.daily(metric, day, slice);
  }

  private label(metric: string): string {
    return this.network.metrics[metric]?.label ?? metric;
  }

  /** The values a (non-date) dimension takes. */
  private valuesOf(dimension: Dimension): readonly (string | number)[] {
    const name = dimensionName(dimension);
    const known = DIMENSION_VALUES[name];
    if (known) return known;
    const label = this.network.dimensions[name]?.label ?? name.replace(/[_.]/g, ' ').replace(/^\w/, (first) => first.toUpperCase());
    return Array.from({ length: DEFAULT_VALUE_COUNT }, (_, index) => `${label} ${index + 1}`);
  }

  /** The rows' labels: the days of the period for a date dimension, the dimension's values otherwise. */
  private axis(dimension: Dimension | undefined): readonly (string | number)[] {
    return dimension === undefined || isDateDimension(this.network, dimension) ? this.days(this.context.period) : this.valuesOf(dimension);
  }

  number(): Record<string, unknown> {
    const [metric = 'value'] = this.request.metrics;
    const values = this.total(metric, this.context.period);
    if (!this.context.comparison) return { values, comparison: { values: null, difference: null, absoluteDifference: null } };
    const previous = this.total(metric, this.context.comparison);
    return {
      values,
      comparison: {
        values: previous,
        difference: previous === 0 ? null : round((values - previous) / previous, 6),
        absoluteDifference: round(values - previous, 6),
      },
    };
  }

  chart(): Record<string, unknown> {
    const dimensions = this.request.dimensions ?? [];
    // The labels run along the date dimension when there is one (else the first), and the series split
    // by the next dimension, if any, then by metric.
    const axisDimension = dimensions.find((dimension) => isDateDimension(this.network, dimension)) ?? dimensions[0];
    const splitDimension = dimensions.find((dimension) => dimension !== axisDimension);
    const labels = this.axis(axisDimension);
    const onDays = axisDimension === undefined || isDateDimension(this.network, axisDimension);
    const metrics = this.request.metrics.length > 0 ? this.request.metrics : ['value'];
    const splits = splitDimension ? this.valuesOf(splitDimension) : [undefined];
    const values = splits.flatMap((split) =>
      metrics.map((metric) => ({
        label: split === undefined ? this.label(metric) : metrics.length === 1 ? String(split) : `${this.label(metric)} (${split})`,
        data: labels.map((label) => {
          const slice = split === undefined ? '' : String(split);
          return onDays ? this.daily(metric, String(label), slice) : this.total(metric, this.context.period, `${label}|${slice}`);
        }),
      })),
    );
    return { labels: [...labels], values };
  }

  /** Rows of dimension values followed by metric values, sorted as `sort` asks. */
  rows(): Cell[][] {
    const dimensions = this.request.dimensions ?? [];
    const columns = dimensions.length > 0 ? dimensions.slice(0, 2) : [undefined];
    let keys: (string | number)[][] = [[]];
    for (const dimension of columns) keys = keys.flatMap((prefix) => this.axis(dimension).map((value) => [...prefix, value]));
    // A row on a date dimension holds that day's values; any other row, the whole period's.
    const dayColumn = columns.findIndex((dimension) => dimension === undefined || isDateDimension(this.network, dimension));
    const rows = keys.map((key) => {
      const day = dayColumn >= 0 ? String(key[dayColumn]) : undefined;
      const slice = key.filter((_, index) => index !== dayColumn).join('|');
      return [...key, ...this.request.metrics.map((metric) => this.cell(metric, slice, day))];
    });
    const [sort] = this.request.sort ?? [];
    const column = sort ? this.request.metrics.indexOf(sort.replace(/^-/, '')) : -1;
    if (sort && column >= 0) {
      const at = keys[0]!.length + column;
      const direction = sort.startsWith('-') ? -1 : 1;
      rows.sort((a, b) => direction * ((a[at] as number) - (b[at] as number) || 0));
    }
    return rows;
  }

  datagrid(): Record<string, unknown> {
    const dimensions = (this.request.dimensions ?? []).slice(0, 2);
    const columns = [
      ...dimensions.map((dimension) => this.network.dimensions[dimensionName(dimension)]?.label ?? dimensionName(dimension)),
      ...this.request.metrics.map((metric) => this.label(metric)),
    ];
    return { columns, values: this.rows() };
  }

  container(): Record<string, unknown> {
    const type = typeof this.request.container_type === 'string' ? this.request.container_type : 'summary';
    if (type === 'summary' || this.request.metrics.length === 0) {
      return {
        container_type: type,
        values: Object.fromEntries(['impressions', 'clicks', 'spend'].map((metric) => [metric, this.total(metric, this.context.period)])),
      };
    }
    const [what = 'item'] = this.request.metrics;
    const name = what.replace(/s$/, '').replace(/[_.]/g, ' ');
    return {
      container_type: type,
      values: Array.from({ length: DEFAULT_VALUE_COUNT }, (_, index) => ({
        id: String(Math.floor(this.unit('id', what, index) * 1e12)),
        name: `${name.replace(/^\w/, (first) => first.toUpperCase())} ${index + 1}`,
        status: this.unit('status', what, index) < 0.8 ? 'active' : 'paused',
      })),
    };
  }

  pipeline(): Record<string, unknown> {
    const metrics = this.request.metrics;
    const stages = metrics.length > 1 ? metrics.map((metric) => this.label(metric)) : ['Stage 1', 'Stage 2', 'Stage 3', 'Stage 4'];
    // A funnel narrows: each stage keeps part of the one before.
    let value = this.total(metrics[0] ?? 'value', this.context.period);
    return {
      values: stages.map((label, index) => {
        if (index > 0) value = Math.round(value * (0.2 + 0.6 * this.unit('stage', label, index)));
        return { label, value };
      }),
    };
  }

  iconsList(): Record<string, unknown> {
    const [metric = 'reactions'] = this.request.metrics;
    return {
      values: ['like', 'love', 'haha', 'wow', 'sad', 'angry'].map((icon) => ({ icon, value: this.total(metric, this.context.period, icon) })),
    };
  }

  wysiwyg(): Record<string, unknown> {
    const text = this.request.custom?.values;
    return { values: typeof text === 'string' ? text : '' };
  }

  result(): Record<string, unknown> {
    switch (this.request.component) {
      case 'number_v1':
        return this.number();
      case 'chart_v1':
        return this.chart();
      case 'datatable_v1':
        return { values: this.rows() };
      case 'datagrid_v1':
        return this.datagrid();
      case 'container_v1':
        return this.container();
      case 'pipeline_v1':
        return this.pipeline();
      case 'iconsList_v1':
        return this.iconsList();
      case 'wysiwyg_v1':
        return this.wysiwyg();
      default:
        // The request schema allows no other component; answer the generic shape all the same.
        return { values: null };
    }
  }
}

/**
 * The result of every requested metric, keyed by its id. `Object.fromEntries` makes each an own
 * property, whatever the id (`__proto__` included, which an assignment would take as the prototype).
 */
export function generateMetrics(context: GenerationContext, requests: readonly MetricRequest[]): Record<string, Record<string, unknown>> {
  return Object.fromEntries(requests.map((request) => [request.id, new Generator(context, request).result()]));
}

/** The most days a period (and a comparison period) may span. */
export const MAX_PERIOD_DAYS = 731;
/** The most rows of a table, or points of a chart, one metric may answer. */
export const MAX_ROWS = 5000;
/** The most values one request may compute (a total over a period computes one per day). */
export const MAX_VALUES = 50_000;

/** How many days a period spans. */
export const periodDays = (period: Period): number => Math.round((Date.parse(`${period.end}T00:00:00Z`) - Date.parse(`${period.start}T00:00:00Z`)) / DAY_MS) + 1;

/**
 * What a metric request will cost, known before computing it: the rows (or chart points) it answers
 * and the daily values it computes. The generator's own shapes, counted: the sandbox refuses a
 * request over the bounds rather than hold the event loop, or run out of memory, computing it.
 */
export function workOf(context: Pick<GenerationContext, 'network' | 'period' | 'comparison'>, request: MetricRequest): { rows: number; values: number } {
  const days = periodDays(context.period);
  const metrics = Math.max(1, request.metrics.length);
  const dimensions = request.dimensions ?? [];
  const isDate = (dimension: Dimension) => isDateDimension(context.network, dimension);
  const length = (dimension: Dimension | undefined) => (dimension === undefined || isDate(dimension) ? days : (DIMENSION_VALUES[dimensionName(dimension)]?.length ?? DEFAULT_VALUE_COUNT));
  switch (request.component) {
    case 'number_v1':
      return { rows: 1, values: days + (context.comparison ? periodDays(context.comparison) : 0) };
    case 'chart_v1': {
      const axis = dimensions.find(isDate) ?? dimensions[0];
      const split = dimensions.find((dimension) => dimension !== axis);
      const points = length(axis) * (split === undefined ? 1 : length(split)) * metrics;
      return { rows: points, values: points * (axis === undefined || isDate(axis) ? 1 : days) };
    }
    case 'datatable_v1':
    case 'datagrid_v1': {
      const columns = dimensions.length > 0 ? dimensions.slice(0, 2) : [undefined];
      const rows = columns.reduce((product, dimension) => product * length(dimension), 1);
      const onDays = columns.some((dimension) => dimension === undefined || isDate(dimension));
      return { rows, values: rows * metrics * (onDays ? 1 : days) };
    }
    case 'container_v1':
      return { rows: DEFAULT_VALUE_COUNT, values: 3 * days };
    case 'pipeline_v1':
      return { rows: Math.max(metrics, 4), values: days };
    case 'iconsList_v1':
      return { rows: 6, values: 6 * days };
    default:
      return { rows: 1, values: 0 };
  }
}
