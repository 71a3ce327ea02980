"""The only package that imports peewee: connection, records, migrations, queries."""
