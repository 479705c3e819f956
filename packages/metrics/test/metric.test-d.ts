import { describe, expectTypeOf, it } from 'vitest';
import { instagram_business } from '../src/generated/integrations/instagram_business.js';
import { integrations, metric, referenceKeys, type ComponentByReferenceKey, type ReferenceKey } from '../src/index.js';

describe('metric()', () => {
  it('types component as the literal component of the metric', () => {
    expectTypeOf(metric('ig:reach').component).toEqualTypeOf<'number_v1'>();
    expectTypeOf(metric('ig:followers_gender').component).toEqualTypeOf<'chart_v1'>();
    expectTypeOf(metric('ig:followers_city').component).toEqualTypeOf<'datatable_v1'>();
    expectTypeOf(metric('ig:reach').reference_key).toEqualTypeOf<'ig:reach'>();
  });

  it('types id as the literal given, or string for a fresh uuid', () => {
    expectTypeOf(metric('ig:reach', { id: 'reach' }).id).toEqualTypeOf<'reach'>();
    expectTypeOf(metric('ig:reach').id).toEqualTypeOf<string>();
    expectTypeOf(metric('ig:reach', {}).id).toEqualTypeOf<string>();
  });

  it('accepts only known reference keys and string ids', () => {
    // @ts-expect-error not a reference key
    metric('ig:reahc');
    // @ts-expect-error not a reference key
    metric('');
    // @ts-expect-error id must be a string
    metric('ig:reach', { id: 1 });
    // @ts-expect-error a key of another integration
    instagram_business.metric('fb_ads:cpc');
  });

  it('types requests from an integration subpath the same way', () => {
    const reach = instagram_business.metric('ig:reach', { id: 'reach' });
    expectTypeOf(reach.id).toEqualTypeOf<'reach'>();
    expectTypeOf(reach.component).toEqualTypeOf<'number_v1'>();
    expectTypeOf(instagram_business.slug).toEqualTypeOf<'instagram_business'>();
    expectTypeOf(instagram_business.referenceKeys[0]).toEqualTypeOf<keyof typeof instagram_business.definitions | undefined>();
  });
});

describe('the catalogue types', () => {
  it('has every reference key in ReferenceKey', () => {
    expectTypeOf(referenceKeys).toEqualTypeOf<readonly ReferenceKey[]>();
    expectTypeOf<'fb_ads:cpc'>().toExtend<ReferenceKey>();
    expectTypeOf<'rdstation_experiment_emails_sent'>().toExtend<ReferenceKey>();
    expectTypeOf<ComponentByReferenceKey['gads:clicks']>().toEqualTypeOf<'number_v1'>();
  });

  it('types integrations as a tuple of 27 catalogues', () => {
    expectTypeOf(integrations).toHaveProperty('length').toEqualTypeOf<27>();
    expectTypeOf(integrations[10].slug).toEqualTypeOf<'instagram_business'>();
  });
});
