-- The public registry (issue 7): a product's labels, newest first. The product page
-- reads a product's newest label, and the registry's lists keep each product's newest
-- label in force with a NOT EXISTS over the same product's later labels; both are index
-- lookups with this index instead of scans of every label.
CREATE INDEX labels_product ON labels(product_id, seq);
