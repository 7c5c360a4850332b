-- Production batches of each size, as the marketplace's pull sends them: what this showroom holds of
-- each and whether it is recalled. A cart line remembers the batch its label named, or the one the
-- till assumed first-expiring-first-out.
CREATE TABLE batches (
    sku TEXT NOT NULL,
    code TEXT NOT NULL,
    produced_on TEXT NOT NULL,
    expires_on TEXT,
    on_hand INTEGER NOT NULL DEFAULT 0,
    recalled INTEGER NOT NULL DEFAULT 0,
    recall_reason TEXT,
    PRIMARY KEY (sku, code)
);
ALTER TABLE cart_lines ADD COLUMN batch TEXT;
ALTER TABLE cart_lines ADD COLUMN batch_assumed INTEGER NOT NULL DEFAULT 0;
