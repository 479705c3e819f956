#!/usr/bin/env bash
# A first session with connect, against the local sandbox (`connect sandbox` running in another
# terminal): a customer, the network it connects, then its metrics. Needs jq.
set -euo pipefail

# 1. A customer. Its api_token is shown only now: it is the customer token of the customer's commands.
customer=$(connect --sandbox customers create --name Acme)
export REPORTEI_CONNECT_CUSTOMER_TOKEN=$(jq -r .customer.api_token <<<"$customer")

# 2. An integration session: its link opens the hosted page where the customer connects a network.
session=$(connect --sandbox customer-integrations create-session --locale en)
link=$(jq -r .integration_session.session_link <<<"$session")
echo "Open $link to connect a network by hand." >&2

# 3. Connect Instagram Business as the page's button does (the sandbox's endpoint, next to the page).
curl -sSf -X POST "${link/\/customer-integrations\/session\//\/__sandbox\/integration-sessions\/}/connect" \
  -H 'content-type: application/json' -d '{"integration": "instagram_business", "source_name": "acme.store"}' >/dev/null

# 4. The customer's integrations, then two metrics of the new one, keyed by their reference keys.
integration=$(connect --sandbox customer-integrations list | jq -r '.data[0].uuid')
connect --sandbox metrics get-data --customer-integration "$integration" --start 2025-01-01 --end 2025-01-31 \
  --metric ig:reach --metric ig:followers_city
