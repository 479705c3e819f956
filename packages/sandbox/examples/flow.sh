#!/usr/bin/env bash
# A customer who connects a network, against a running sandbox, with curl and jq. Prints the customer's
# REPORTEI_CONNECT_* lines on stdout (everything else on stderr): `bash flow.sh > .customer.env`.
set -euo pipefail
api=${REPORTEI_CONNECT_BASE_URL:-http://127.0.0.1:4011/api}
auth="Authorization: Bearer ${REPORTEI_CONNECT_TOKEN:-sandbox-merchant-token}"

# 1. A customer. Its api_token, shown only now, is the x-customer-token of its own calls.
customer=$(curl -sSf -X POST "$api/customers" -H "$auth" -H 'content-type: application/json' -d '{"name": "Acme"}')
token=$(jq -r .customer.api_token <<<"$customer")

# 2. An integration session: its link opens the hosted page (in Portuguese here) for 5 minutes.
session=$(curl -sSf -X POST "$api/customer-integrations/session" -H "$auth" -H "x-customer-token: $token" \
  -H 'content-type: application/json' -d '{"locale": "pt_br", "redirect_url": "https://example.com/integrations/done"}')
echo "Open $(jq -r .integration_session.session_link <<<"$session") in a browser to see the page." >&2

# 3. Connect Instagram Business as the page's button does (in the browser: type a name, press Conectar).
connected=$(curl -sSf -X POST "${api%/api}/__sandbox/integration-sessions/$(jq -r .integration_session.session_uuid <<<"$session")/connect" \
  -H 'content-type: application/json' -d '{"integration": "instagram_business", "source_name": "acme.store"}')
integration=$(jq -r .customer_integration.uuid <<<"$connected")

# 4. Visible through the API at once: active, so its metrics can be read.
curl -sSf "$api/customer-integrations/$integration" -H "$auth" -H "x-customer-token: $token" | jq -c .customer_integration >&2

echo "REPORTEI_CONNECT_CUSTOMER_TOKEN=$token"
echo "REPORTEI_CONNECT_CUSTOMER_INTEGRATION=$integration"
