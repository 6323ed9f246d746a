"""Services shared by the admin, the portal, the importer and the management commands."""
