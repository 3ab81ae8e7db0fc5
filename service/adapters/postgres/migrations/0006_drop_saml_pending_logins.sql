-- A sign-in completes in the ACS itself: no verified login waits for its browser any more, so the
-- table of pending logins (and whatever short-lived rows an older version left in it) goes.
DROP TABLE saml_pending_logins;
