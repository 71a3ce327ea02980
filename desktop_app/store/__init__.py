"""The only package that imports peewee: connection, records, migrations, queries."""

from desktop_app.store.server_driver import keep_out_of_peewee_import

# Before any store module imports peewee: a desk on its SQLite file never loads psycopg2.
keep_out_of_peewee_import()
