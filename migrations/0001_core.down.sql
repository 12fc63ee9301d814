DROP TABLE IF EXISTS customers, stores, wallet_members, card_members, contacts, blacklist,
    collaborators, wallets, loyalty_cards, thirdparty_tokens, oauth_clients, api_keys, merchants;
