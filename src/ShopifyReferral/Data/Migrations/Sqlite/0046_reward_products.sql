-- A free-product reward names its product (or variant) gid and the title it was chosen by, so the reward can be made
-- and worded without the program at hand; its face value (amount_minor) becomes the product's price when issued.
ALTER TABLE rewards ADD COLUMN product_gid TEXT NULL;
ALTER TABLE rewards ADD COLUMN product_title TEXT NULL;
