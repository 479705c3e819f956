/**
 * Display names of the integrations, by payload folder (slug).
 *
 * The payload data has no names (setup.json lists only metrics and dimensions), so they are kept here,
 * one per integration rather than per metric. Sources: the spec's `MerchantSettings` example
 * (`available_integrations[].name`: "Instagram Business", "Facebook", "Meta Ads") and otherwise each
 * network's own spelling of its brand. A payload folder missing from this table still builds: its name
 * is derived from the slug (see `deriveDisplayName`) and the generator prints a warning asking to add it.
 */
export const displayNames = {
  active_campaign: 'ActiveCampaign',
  egoi: 'E-goi',
  facebook: 'Facebook',
  facebook_ads: 'Meta Ads',
  google_ads: 'Google Ads',
  google_analytics_4: 'Google Analytics 4',
  google_my_business: 'Google My Business',
  hotmart: 'Hotmart',
  hubspot_crm: 'HubSpot CRM',
  hubspot_marketing: 'HubSpot Marketing',
  instagram_business: 'Instagram Business',
  linkedin: 'LinkedIn',
  linkedin_ads: 'LinkedIn Ads',
  mailchimp: 'Mailchimp',
  nuvem_shop: 'Nuvemshop',
  phonetrack: 'PhoneTrack',
  pinterest: 'Pinterest',
  pinterest_ads: 'Pinterest Ads',
  pipedrive: 'Pipedrive',
  rd_crm: 'RD Station CRM',
  rd_station: 'RD Station Marketing',
  search_console: 'Google Search Console',
  tiktok: 'TikTok',
  tiktok_ads: 'TikTok Ads',
  twitter_ads: 'Twitter Ads',
  woo_commerce: 'WooCommerce',
  youtube: 'YouTube',
};

/** `google_analytics_4` -> `Google Analytics 4`: words of the slug, each capitalised. @param {string} slug */
export function deriveDisplayName(slug) {
  return slug
    .split('_')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join(' ');
}
