import Database from 'better-sqlite3';
const db = new Database('/tmp/exp.db');
const q = `update event_deliveries set status = 'delivered', delivered_at = ?, last_error = null where id in (?, ?) and app_id = ? and mode = 'long_connection' and status = 'pending' and lease_until > 0 returning id`;
console.log(db.prepare('explain query plan ' + q).all(1, 'a', 'b', 'x'));
const q2 = `update event_deliveries set status = 'delivered', delivered_at = ?, last_error = null where id in (?, ?) and status = 'pending' returning app_id`;
console.log(db.prepare('explain query plan ' + q2).all(1, 'a', 'b'));
