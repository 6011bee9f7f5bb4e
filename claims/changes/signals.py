from django.dispatch import Signal

# Sent once the transaction that recorded changes has committed, with
# `positions`: the stream positions it recorded, in order. The webhook
# dispatcher listens; a receiver must not raise (the edit is already saved).
changes_recorded = Signal()
