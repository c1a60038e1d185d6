import journal from './meta/_journal.json';
import m0000 from './0000_account.sql';
import m0001 from './0001_trusts_and_services.sql';
import m0002 from './0002_requests.sql';
import m0003 from './0003_sla_clocks.sql';
import m0004 from './0004_sla_report_index.sql';
import m0005 from './0005_returned_requests.sql';
import m0006 from './0006_idempotency_keys.sql';
import m0007 from './0007_open_clocks_by_offering.sql';
import m0008 from './0008_mail_secret.sql';
import m0009 from './0009_mail_outbox.sql';
import m0010 from './0010_mail_intake.sql';
import m0011 from './0011_notifications.sql';
import m0012 from './0012_saved_filters.sql';
import m0013 from './0013_attachments.sql';
import m0014 from './0014_search_index.sql';
import m0015 from './0015_request_events.sql';
import m0016 from './0016_webhooks.sql';
import m0017 from './0017_apps.sql';
import m0018 from './0018_inbox_sort_key.sql';
import m0019 from './0019_account_name.sql';

  export default {
    journal,
    migrations: {
      m0000,
m0001,
m0002,
m0003,
m0004,
m0005,
m0006,
m0007,
m0008,
m0009,
m0010,
m0011,
m0012,
m0013,
m0014,
m0015,
m0016,
m0017,
m0018,
m0019
    }
  }
  