//! Rows written many to a statement. In a large import one statement per row cost more
//! than the rows themselves: a multi-row `INSERT … VALUES (…), (…)` binds and steps once.

use std::borrow::Cow;

use rusqlite::Connection;
use rusqlite::types::Value;

use super::Result;

/// Rows a statement holds at most.
const ROWS_PER_STATEMENT: usize = 64;

/// Rows that wait before they are written, a statement after another: one table's rows
/// written together keep its B-tree pages in the page cache, where rows of many tables
/// written in turn keep evicting each other's.
const ROWS_PER_FLUSH: usize = 8_192;

/// Rows of one table waiting to be inserted. Each row's own values are bound first in its
/// tuple, then the values every row shares (bound once, as ?1, ?2…).
pub(super) struct PendingRows {
    /// `INSERT … INTO table (columns) VALUES`, the columns in tuple order.
    head: &'static str,
    /// What follows the tuples, e.g. an `ON CONFLICT` clause.
    tail: &'static str,
    n_own: usize,
    shared: Vec<Value>,
    /// The waiting rows' own values, row after row.
    values: Vec<Value>,
    /// The statement for a full set of rows, built once.
    full_sql: Option<String>,
}

impl PendingRows {
    pub(super) fn new(head: &'static str, n_own: usize, shared: Vec<Value>, tail: &'static str) -> Self {
        PendingRows { head, tail, n_own, shared, values: Vec::new(), full_sql: None }
    }

    /// Queues a row; true when enough rows wait to be written (see `ROWS_PER_FLUSH`).
    pub(super) fn push(&mut self, row: impl IntoIterator<Item = Value>) -> bool {
        let before = self.values.len();
        self.values.extend(row);
        debug_assert_eq!(self.values.len() - before, self.n_own, "{}", self.head);
        self.values.len() >= ROWS_PER_FLUSH * self.n_own
    }

    /// The waiting rows' own values, latest row last.
    pub(super) fn rows(&self) -> std::slice::Chunks<'_, Value> {
        self.values.chunks(self.n_own)
    }

    /// Writes every waiting row.
    pub(super) fn flush(&mut self, connection: &Connection) -> Result<()> {
        let values = std::mem::take(&mut self.values);
        for chunk in values.chunks(ROWS_PER_STATEMENT * self.n_own) {
            let n_rows = chunk.len() / self.n_own;
            let sql = if n_rows == ROWS_PER_STATEMENT {
                if self.full_sql.is_none() {
                    self.full_sql = Some(self.sql(ROWS_PER_STATEMENT));
                }
                Cow::Borrowed(self.full_sql.as_deref().unwrap_or_default())
            } else {
                Cow::Owned(self.sql(n_rows))
            };
            let mut statement = connection.prepare_cached(&sql)?;
            let parameters = self.shared.iter().chain(chunk);
            statement.execute(rusqlite::params_from_iter(parameters))?;
        }
        self.values = values;
        self.values.clear();
        Ok(())
    }

    fn sql(&self, n_rows: usize) -> String {
        let n_shared = self.shared.len();
        let shared: Vec<String> = (1..=n_shared).map(|index| format!("?{index}")).collect();
        let tuples: Vec<String> = (0..n_rows)
            .map(|row| {
                let first = n_shared + 1 + row * self.n_own;
                let own = (first..first + self.n_own).map(|index| format!("?{index}"));
                format!("({})", own.chain(shared.iter().cloned()).collect::<Vec<_>>().join(", "))
            })
            .collect();
        format!("{} {} {}", self.head, tuples.join(", "), self.tail)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> Connection {
        let connection = Connection::open_in_memory().unwrap();
        connection
            .execute_batch("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT NOT NULL, batch INTEGER NOT NULL)")
            .unwrap();
        connection
    }

    fn stored(connection: &Connection) -> Vec<(i64, String, i64)> {
        let mut statement = connection.prepare("SELECT id, name, batch FROM t ORDER BY id").unwrap();
        statement
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    }

    #[test]
    fn every_row_is_written_with_the_shared_values_in_full_and_partial_statements() {
        let connection = table();
        let mut pending = PendingRows::new("INSERT INTO t (id, name, batch) VALUES", 2, vec![Value::Integer(7)], "");
        let n_rows = ROWS_PER_FLUSH * 2 + ROWS_PER_STATEMENT + 5;
        let mut n_full = 0;
        for id in 1..=n_rows as i64 {
            if pending.push([Value::Integer(id), Value::Text(format!("row {id}"))]) {
                n_full += 1;
                pending.flush(&connection).unwrap();
            }
        }
        assert_eq!(n_full, 2);
        assert_eq!(pending.rows().count(), ROWS_PER_STATEMENT + 5);
        assert_eq!(pending.rows().last().unwrap()[0], Value::Integer(n_rows as i64));
        pending.flush(&connection).unwrap();
        assert_eq!(pending.rows().count(), 0);
        let rows = stored(&connection);
        assert_eq!(rows.len(), n_rows);
        assert!(rows.iter().enumerate().all(|(index, (id, name, batch))| {
            *id == index as i64 + 1 && *name == format!("row {id}") && *batch == 7
        }));
    }

    #[test]
    fn the_tail_applies_to_every_row_of_a_statement() {
        let connection = table();
        let mut pending = PendingRows::new(
            "INSERT INTO t (id, name, batch) VALUES",
            2,
            vec![Value::Integer(1)],
            "ON CONFLICT (id) DO UPDATE SET name = excluded.name",
        );
        for (id, name) in [(1, "first"), (2, "other"), (1, "second")] {
            pending.push([Value::Integer(id), Value::Text(name.into())]);
        }
        pending.flush(&connection).unwrap();
        assert_eq!(stored(&connection), vec![(1, "second".into(), 1), (2, "other".into(), 1)]);
    }
}
