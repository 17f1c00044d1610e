"""How passwords are stored: Argon2id, at a cost a login on a busy two-core server can afford.

Django's default, PBKDF2 at 1,500,000 iterations of SHA-256 (Django 6.1), took
about 0.9 s of CPU for every login and every password set, 1 to 4 s on a
loaded server. Argon2id (the Password Hashing Competition's winner, RFC 9106)
is memory-hard: each guess costs an attacker 64 MiB as well as time, which
GPUs and dedicated hardware cannot make cheap as they make PBKDF2, so it is
stronger at a quarter of the time. The parameters are RFC 9106's second
recommended option (3 passes over 64 MiB), with 4 lanes; Django's own
Argon2 defaults (2 passes over 100 MiB, 8 lanes) cost an attacker about the
same per guess, but the server 10 to 30% more time and half as much memory
again per login. `bench/login.py` measures it.

Passwords stored with PBKDF2 still work (settings.PASSWORD_HASHERS keeps it
after this one) and are stored again with Argon2 at their next login.
"""

from django.contrib.auth import hashers


class Argon2PasswordHasher(hashers.Argon2PasswordHasher):
    """Django's Argon2id hasher with RFC 9106's low-memory parameters."""

    time_cost = 3
    memory_cost = 64 * 1024  # KiB
    parallelism = 4
