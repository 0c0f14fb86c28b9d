"""Fill the English catalogue: our message ids are English, so each one translates to itself.

Run by `make extract-messages` after the catalogues are updated; Dutch is translated by hand.
"""

from pathlib import Path

from babel.messages.pofile import read_po, write_po

PATH = Path(__file__).resolve().parent.parent / "planner/translations/en/LC_MESSAGES/messages.po"

with PATH.open("rb") as handle:
    catalogue = read_po(handle, locale="en")
for message in catalogue:
    if not message.id:
        continue
    if isinstance(message.id, tuple):
        message.string = tuple(message.id[min(i, 1)] for i in range(catalogue.num_plurals))
    else:
        message.string = message.id
    message.flags.discard("fuzzy")
with PATH.open("wb") as handle:
    write_po(handle, catalogue, width=100)
