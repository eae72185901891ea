"""How a browser or an API client proves who it is: sessions, CSRF, API tokens, rate limits
(the accounts themselves live in `attain.accounts`)."""
