"""Seeded, deterministic demo landing data for the usage-health warehouse.

The entry point is ``scripts/generate_landing.py``; this package holds its parts:

- ``config``: what the generator shares with the warehouse, read from ``seeds/`` and
  ``dbt_project.yml`` (core features and their events, workflows, look-backs).
- ``world``: the planted world: accounts, their planted quadrant, segment, identity method and
  renewal dates.
- ``workspaces``: the accounts' workspaces and users, plus the orphan and conflict workspaces.
- ``usage``: usage profiles by plant and the event pools sessions draw from.
- ``events``, ``product``, ``crm``, ``cs``: the rows of each landing source.
- ``output``: writing CSV and Parquet files and the ``_truth`` folder.
- ``generator``: runs the above in the fixed order the random draws depend on.

Every random draw comes from one ``random.Random`` passed along explicitly; changing the order
of any two draws changes the data.
"""
