"""督办 issued by the director: /supervise (guided and one line), /supervisions, /notice."""

handlers: list = []
