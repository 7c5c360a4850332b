-- A product's photo for the selling screen's grid: its address at the marketplace (`photo`) and,
-- once fetched, the file kept beside the database (`photo_file`) so the grid shows it offline too.
ALTER TABLE items ADD COLUMN photo TEXT;
ALTER TABLE items ADD COLUMN photo_file TEXT;
