-- Settings: mode (demo | paired), server_url, token, device_id, showroom_code, showroom_name,
-- showroom_address, prefix (receipt numbers), seq (last receipt number), cursor, bank (JSON), last_sync_at.
CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);

-- The till's copy of the catalogue: sizes by SKU, and combos under their slug with `parts`
-- ("SKU*2 SKU*1"). `folded` is name and size without diacritics, for search.
CREATE TABLE items (
    sku TEXT PRIMARY KEY,
    barcode TEXT,
    name_vi TEXT NOT NULL,
    name_en TEXT NOT NULL,
    size_vi TEXT NOT NULL,
    price INTEGER NOT NULL,
    on_sale INTEGER NOT NULL,
    stock INTEGER NOT NULL,
    parts TEXT,
    folded TEXT NOT NULL
);
CREATE INDEX items_barcode ON items (barcode);

CREATE TABLE staff (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    pin_hash TEXT NOT NULL,
    manager INTEGER NOT NULL,
    active INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE sessions (token_hash TEXT PRIMARY KEY, staff_id INTEGER NOT NULL, created_at TEXT NOT NULL);

CREATE TABLE shifts (
    id TEXT PRIMARY KEY,
    staff_id INTEGER NOT NULL,
    opened_at TEXT NOT NULL,
    float INTEGER NOT NULL,
    closed_at TEXT,
    closed_by INTEGER,
    counted INTEGER,
    counted_notes TEXT
);

-- The sale being rung up: one per till, kept across restarts.
CREATE TABLE cart_lines (sku TEXT PRIMARY KEY, qty INTEGER NOT NULL, pos INTEGER NOT NULL);
CREATE TABLE cart_discount (id INTEGER PRIMARY KEY CHECK (id = 1), amount INTEGER NOT NULL, approved_by INTEGER NOT NULL);

-- Every sale and refund as sent to the marketplace (`payload` is the sync JSON), with what the
-- receipt also needs.
CREATE TABLE sales (
    id TEXT PRIMARY KEY,
    receipt_no TEXT NOT NULL UNIQUE,
    shift_id TEXT NOT NULL,
    staff_id INTEGER NOT NULL,
    kind TEXT NOT NULL,
    refund_of TEXT UNIQUE,
    total INTEGER NOT NULL,
    tendered INTEGER,
    names TEXT NOT NULL,
    payload TEXT NOT NULL
);
CREATE INDEX sales_shift ON sales (shift_id);

-- Stock received or counted at the showroom (`qty`: units received, or the count).
CREATE TABLE stock_events (
    id TEXT PRIMARY KEY,
    sku TEXT NOT NULL,
    kind TEXT NOT NULL,
    qty INTEGER NOT NULL,
    at TEXT NOT NULL,
    staff_id INTEGER NOT NULL
);

-- Written in the same transaction as the sale or stock event (`kind` sale | stock, `ref_id` its id);
-- sent in order. `sent_at` once the marketplace answered accepted or duplicate, `rejected` with its
-- reason when it refused (kept, shown, never dropped).
CREATE TABLE outbox (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    ref_id TEXT NOT NULL UNIQUE,
    queued_at TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    sent_at TEXT,
    rejected TEXT
);
CREATE INDEX outbox_pending ON outbox (sent_at, rejected);
