import { describe, expect, it } from 'vitest';
import { integrations, metric, referenceKeys, type ReferenceKey } from '../src/index.js';
import { instagram_business } from '../src/generated/integrations/instagram_business.js';
import { rd_station } from '../src/generated/integrations/rd_station.js';

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('referenceKeys and integrations', () => {
  it('lists 1,667 unique keys, integration by integration', () => {
    expect(referenceKeys).toHaveLength(1667);
    expect(new Set(referenceKeys).size).toBe(1667);
    expect(integrations.flatMap((integration) => integration.referenceKeys)).toEqual(referenceKeys);
  });

  it('has the 27 integrations, sorted by slug, each with a name, keys, metrics and dimensions', () => {
    expect(integrations.map((integration) => integration.slug)).toEqual([
      'active_campaign', 'egoi', 'facebook', 'facebook_ads', 'google_ads', 'google_analytics_4',
      'google_my_business', 'hotmart', 'hubspot_crm', 'hubspot_marketing', 'instagram_business',
      'linkedin', 'linkedin_ads', 'mailchimp', 'nuvem_shop', 'phonetrack', 'pinterest', 'pinterest_ads',
      'pipedrive', 'rd_crm', 'rd_station', 'search_console', 'tiktok', 'tiktok_ads', 'twitter_ads',
      'woo_commerce', 'youtube',
    ]);
    for (const integration of integrations) {
      expect(integration.name, integration.slug).toMatch(/\S/);
      expect(integration.referenceKeys.length, integration.slug).toBeGreaterThan(0);
      expect(Object.keys(integration.definitions)).toEqual(integration.referenceKeys);
      expect(Object.keys(integration.metrics).length, integration.slug).toBeGreaterThan(0);
      for (const field of [...Object.values(integration.metrics), ...Object.values(integration.dimensions)]) {
        expect(typeof field.label, integration.slug).toBe('string');
      }
    }
  });

  it('carries the labels of setup.json', () => {
    expect(instagram_business.name).toBe('Instagram Business');
    expect(instagram_business.metrics.reach).toEqual({ label: 'Reach' });
    expect(instagram_business.dimensions.gender).toEqual({ label: 'Gender', options: ['align_left'] });
    // Two active_campaign labels are stored under "0" in the source data.
    const activeCampaign = integrations.find((integration) => integration.slug === 'active_campaign');
    expect(activeCampaign?.metrics.unsubscribes_rate).toEqual({ label: 'Unsubscribes Rate', formatting_function: 'percentage' });
  });

  it('keeps the rd_station duplicate that reads a measure', () => {
    expect(rd_station.definitions['rdstation:leads_converted_history'].metrics).toEqual(['rdstation_leads_converted_history']);
  });
});

describe('metric()', () => {
  it('returns the catalogued request with a fresh uuid as id', () => {
    const first = metric('ig:followers_gender');
    const second = metric('ig:followers_gender');
    expect(first.id).toMatch(uuid);
    expect(second.id).toMatch(uuid);
    expect(first.id).not.toBe(second.id);
    expect(first).toEqual({ id: first.id, ...instagram_business.definitions['ig:followers_gender'] });
  });

  it('keeps the id it is given', () => {
    const reach = metric('ig:reach', { id: 'reach' });
    expect(reach).toEqual({ id: 'reach', reference_key: 'ig:reach', component: 'number_v1', metrics: ['reach'] });
  });

  it('copies the definition, so changing a request never changes the catalogue', () => {
    const request = metric('fb_ads:reach_facebook');
    request.metrics.push('clicks');
    (request.dimensions?.[0] as { value: string[] }).value.push('instagram');
    expect(metric('fb_ads:reach_facebook').metrics).toEqual(['reach']);
    expect(metric('fb_ads:reach_facebook').dimensions).toEqual([{ field: 'publisher_platform', operator: 'IN', value: ['facebook'] }]);
  });

  it('builds the same request from the root and from an integration subpath', () => {
    expect(instagram_business.metric('ig:reach', { id: 'r' })).toEqual(metric('ig:reach', { id: 'r' }));
    const { metric: detached } = instagram_business;
    expect(detached('ig:reach').reference_key).toBe('ig:reach');
  });

  it('rejects an unknown key at run time, naming the closest known keys', () => {
    expect(() => metric('ig:reahc' as ReferenceKey)).toThrow(RangeError);
    expect(() => metric('ig:reahc' as ReferenceKey)).toThrow(/unknown reference key "ig:reahc"\. Did you mean "ig:reach"/);
    expect(() => metric('instagram:followers_gender' as ReferenceKey)).toThrow(/"ig:followers_gender"/);
    expect(() => metric('toString' as ReferenceKey)).toThrow(/unknown reference key "toString"\. .*referenceKeys/);
    expect(() => instagram_business.metric('fb_ads:cpc' as never)).toThrow(/unknown reference key "fb_ads:cpc"/);
  });

  it('rejects an empty or non-string id', () => {
    expect(() => metric('ig:reach', { id: '' })).toThrow(/`id` must be a non-empty string/);
    expect(() => metric('ig:reach', { id: 42 as unknown as string })).toThrow(TypeError);
  });
});
