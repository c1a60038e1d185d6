import journal from './meta/_journal.json';
import m0000 from './0000_account.sql';
import m0001 from './0001_trusts_and_services.sql';
import m0002 from './0002_requests.sql';

  export default {
    journal,
    migrations: {
      m0000,
m0001,
m0002
    }
  }
  