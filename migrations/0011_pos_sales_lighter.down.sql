ALTER TABLE pos_sales
    ADD CONSTRAINT pos_sales_merchant_id_fkey FOREIGN KEY (merchant_id) REFERENCES merchants (id),
    ADD CONSTRAINT pos_sales_merchant_id_contact_id_fkey FOREIGN KEY (merchant_id, contact_id) REFERENCES contacts (merchant_id, id),
    ADD CONSTRAINT pos_sales_merchant_id_collaborator_id_fkey FOREIGN KEY (merchant_id, collaborator_id) REFERENCES collaborators (merchant_id, id);
DROP INDEX pos_sales_member_day;
CREATE INDEX pos_sales_member_day ON pos_sales (merchant_id, program, member_id, local_day);
