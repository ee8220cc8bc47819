/**
 * @module
 * The commented `herald.yaml` that `herald init` writes: a files audience, the embedded
 * sandbox, one SendGrid account named by environment variables, and campaign defaults — each
 * part explained where it stands, the alternatives commented out.
 */

/** The text of a new `herald.yaml`. */
export const PROJECT_TEMPLATE = `# herald.yaml — a Herald project: your audience, your accounts, your defaults.
# Check it with: herald check      Editors complete it from: herald schema --project
version: 1

# Where your audience comes from.
#   kind: files     profiles (and events) exported to CSV or JSON lines, paths relative to this file
#   kind: postgres  a table or query:  url: { env: DATABASE_URL }  profiles: { table: marketing.profiles }
#   kind: sandbox   Herald's synthetic audience, as in the quick start:  profiles: 1000
audience:
  kind: files
  # Columns: id, email, phone, zone, age, country, region, language, loyalty_tier,
  # consent_email, consent_sms, consent_push. Any other column (first_name…) is a merge field.
  profiles: profiles.csv
  # Columns: profile_id, type, at, value — for rules like "bought in the last 30 days".
  # events: events.csv

# Named segments your campaigns can mention, besides all, newsletter, sms_subscribers and vip.
# segments:
#   lapsed:
#     rules: { type: behavior, event: purchase, aggregate: last, op: gt, value: P90D }

# Herald's fake platforms instead of the real ones, for every account at once (never some):
#   embedded — started inside herald (nothing leaves this machine)
#   a map of URLs — a running \`herald sandbox\`, e.g.  sandbox: { sendgrid: http://127.0.0.1:4010 }
# Delete this line to send for real.
sandbox: embedded

# Your platform accounts. A secret is never written here in clear: name the environment
# variable that holds it ({ env: NAME }) or seal it with Herald's keyring
# ({ encrypted: "herald:v1:…" }, opened with HERALD_SECRET_KEY).
accounts:
  sendgrid:
    credentials:
      SENDGRID_API_KEY: { env: SENDGRID_API_KEY }
    settings:
      SENDGRID_FROM_EMAIL: news@example.com   # your verified sender identity
  # twilio:
  #   credentials:
  #     TWILIO_ACCOUNT_SID: { env: TWILIO_ACCOUNT_SID }
  #     TWILIO_AUTH_TOKEN: { env: TWILIO_AUTH_TOKEN }
  #   settings:
  #     TWILIO_FROM: "+15017122661"
  # slack:
  #   credentials:
  #     SLACK_BOT_TOKEN: { env: SLACK_BOT_TOKEN }
  #   channel: "#marketing"                  # notify steps that name no channel post here
  # google_ads:
  #   credentials:
  #     GOOGLE_ADS_DEVELOPER_TOKEN: { env: GOOGLE_ADS_DEVELOPER_TOKEN }
  #     GOOGLE_ADS_CLIENT_SECRET: { env: GOOGLE_ADS_CLIENT_SECRET }
  #     GOOGLE_ADS_REFRESH_TOKEN: { env: GOOGLE_ADS_REFRESH_TOKEN }
  #   settings:
  #     GOOGLE_ADS_CLIENT_ID: 123.apps.googleusercontent.com
  #     GOOGLE_ADS_CUSTOMER_ID: "1234567890"
  #   defaults:                               # filled into steps that leave them out
  #     ad_launch: { campaignId: "111" }
  #     audience_sync: { userListId: "4242" }

# Defaults for campaigns that do not state their own.
campaign:
  zone: UTC                                  # e.g. Europe/Berlin
  currency: USD                              # e.g. EUR
  # quietHours: { start: "21:00", end: "08:00" }
  # frequencyCap: { max: 3, period: P7D }
  # postalAddress: 1 Main St, Springfield    # every marketing email carries it (CAN-SPAM)
  # utm: { source: newsletter }              # UTM parameters on every link; false turns them off
`;
