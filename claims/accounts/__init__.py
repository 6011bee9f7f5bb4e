"""Staff accounts and sign-in: who must give a second factor, the login
lockout's two thresholds, the staff-only password reset, and making an
account with its role (the `create_user` command).

The doors call these: the admin site (claims/admin_site.py) and its sign-in
pages (claims/admin/accounts.py), the API's session authentication
(claims/api/authentication.py) and the management commands. Settings point
django-axes at `lockout.NewsroomLockoutHandler`.
"""
