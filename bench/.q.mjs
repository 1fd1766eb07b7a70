import Database from 'better-sqlite3';
const db = new Database(process.argv[2], { readonly: true });
for (const r of db.prepare(process.argv[3]).all()) console.log(JSON.stringify(r));
