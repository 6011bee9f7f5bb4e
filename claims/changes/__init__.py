"""The public change stream: what readers can see that was published, changed
or removed, in commit order (`Change`, `ChangeStreamHead`). Mirrors read it
through `GET /api/v1/changes/`; webhook deliveries are made from it."""
