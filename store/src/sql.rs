//! Raw statements written once with `?` placeholders, numbered for PostgreSQL.

use sea_orm::{DbBackend, Statement, Value};

pub fn stmt(backend: DbBackend, sql: &str, values: Vec<Value>) -> Statement {
    if backend != DbBackend::Postgres {
        return Statement::from_sql_and_values(backend, sql, values);
    }
    let mut out = String::with_capacity(sql.len() + 16);
    let mut n = 0;
    for ch in sql.chars() {
        if ch == '?' {
            n += 1;
            out.push('$');
            out.push_str(&n.to_string());
        } else {
            out.push(ch);
        }
    }
    Statement::from_sql_and_values(backend, out, values)
}

/// Compares secrets in time that does not depend on where they differ.
pub fn same_secret(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// A random token for cookies, one-time checkout tokens and order access keys.
pub fn token() -> String {
    uuid::Uuid::new_v4().simple().to_string()
}
