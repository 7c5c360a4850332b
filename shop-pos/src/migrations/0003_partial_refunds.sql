-- A sale may be refunded in parts, so `refund_of` is no longer unique. SQLite cannot drop a column
-- constraint: the table is rebuilt with its rows, inside the step's transaction.
CREATE TABLE sales_v3 (
    id TEXT PRIMARY KEY,
    receipt_no TEXT NOT NULL UNIQUE,
    shift_id TEXT NOT NULL,
    staff_id INTEGER NOT NULL,
    kind TEXT NOT NULL,
    refund_of TEXT,
    total INTEGER NOT NULL,
    tendered INTEGER,
    names TEXT NOT NULL,
    payload TEXT NOT NULL
);
INSERT INTO sales_v3 (id, receipt_no, shift_id, staff_id, kind, refund_of, total, tendered, names, payload)
    SELECT id, receipt_no, shift_id, staff_id, kind, refund_of, total, tendered, names, payload FROM sales;
DROP TABLE sales;
ALTER TABLE sales_v3 RENAME TO sales;
CREATE INDEX sales_shift ON sales (shift_id);
CREATE INDEX sales_refund_of ON sales (refund_of);
-- The refund a manager approved (NULL for sales and for refunds made before approvals were asked).
ALTER TABLE sales ADD COLUMN approved_by INTEGER;
