"""oauth.py: Google's OAuth 2.0 token endpoint and the metadata server's
token, as the fake serves them.

POST /token (form) with
  grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer&assertion=JWT
verifies the JWT as Google does: header alg RS256, the RS256 signature
against the public key registered for the `iss` service account (PKCS#1
v1.5 over SHA-256, checked here with the standard library's integers), aud
equal to this token URL, iat not in the future, exp after now and at most
an hour after iat, a scope. grant_type=refresh_token checks client_id,
client_secret and refresh_token against the registered authorized user.
Answers {"access_token", "expires_in", "token_type": "Bearer"} or
{"error": "invalid_grant", "error_description": ...} with 400.

Access tokens are random, or one fixed value (--issue-token: a GKE
cluster played by a real kube-apiserver accepts it as its bearer token,
as a real GKE accepts Google's tokens). Each request to /token and the
metadata token is logged (--token-log, JSON lines): {"t", "grant_type",
"iss" (the JWT's), "verified" (signature and claims good), "error",
"token_sha256" (of the token issued)}.
"""
import base64
import hashlib
import json
import secrets
import threading
import time

SHA256_INFO = bytes.fromhex("3031300d060960864801650304020105000420")


def _der(data, pos):
    """(tag, content, next position) of the DER element at pos."""
    tag = data[pos]
    ln = data[pos + 1]
    pos += 2
    if ln & 0x80:
        n = ln & 0x7f
        ln = int.from_bytes(data[pos:pos + n], "big")
        pos += n
    return tag, data[pos:pos + ln], pos + ln


def load_public_key(pem_text):
    """(n, e) of a PEM SubjectPublicKeyInfo RSA key."""
    b64 = "".join(l for l in pem_text.splitlines() if "-----" not in l)
    der = base64.b64decode(b64)
    _, spki, _ = _der(der, 0)
    _, _, pos = _der(spki, 0)                 # AlgorithmIdentifier
    _, bits, _ = _der(spki, pos)              # BIT STRING
    _, rsa, _ = _der(bits[1:], 0)             # RSAPublicKey
    _, n, pos = _der(rsa, 0)
    _, e, _ = _der(rsa, pos)
    return int.from_bytes(n, "big"), int.from_bytes(e, "big")


def _b64d(s):
    return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))


def _claim(jwt, name):
    """A claim of an unverified JWT (for the log), or None."""
    try:
        return json.loads(_b64d(jwt.split(".")[1])).get(name)
    except (ValueError, IndexError, AttributeError):
        return None


def rs256_ok(key, signing_input, sig):
    n, e = key
    k = (n.bit_length() + 7) // 8
    if len(sig) != k:
        return False
    m = pow(int.from_bytes(sig, "big"), e, n).to_bytes(k, "big")
    t = SHA256_INFO + hashlib.sha256(signing_input).digest()
    return m == b"\x00\x01" + b"\xff" * (k - len(t) - 3) + b"\x00" + t


class OAuth:
    def __init__(self, world, token_ttl, issue_token=None, log_path=None):
        self.w = world
        self.ttl = token_ttl
        self.keys = {}            # service account email -> (n, e)
        self.users = set()        # (client_id, secret, refresh_token)
        self.tokens = {}          # access token -> expiry
        self.issue_token = issue_token
        self.log_path = log_path
        self.log_lock = threading.Lock()

    def log(self, entry):
        if not self.log_path:
            return
        line = json.dumps(dict(entry, t=time.time()), sort_keys=True)
        with self.log_lock, open(self.log_path, "a") as f:
            f.write(line + "\n")

    def grant(self, entry=None):
        tok = self.issue_token or "ya29.fake-" + secrets.token_urlsafe(24)
        self.tokens[tok] = time.time() + self.ttl
        self.w.token_grants += 1
        self.log(dict(entry or {"grant_type": "metadata"},
                      token_sha256=hashlib.sha256(tok.encode()).hexdigest()))
        return {"access_token": tok, "expires_in": self.ttl,
                "token_type": "Bearer"}

    def valid(self, token):
        exp = self.tokens.get(token)
        return exp is not None and exp > time.time()

    def token(self, form, url):
        gt = form.get("grant_type")
        if gt == "refresh_token":
            who = (form.get("client_id"), form.get("client_secret"),
                   form.get("refresh_token"))
            if who not in self.users:
                self.log({"grant_type": gt, "error": "Bad Request"})
                return 400, {"error": "invalid_grant",
                             "error_description": "Bad Request"}
            return 200, self.grant({"grant_type": gt})
        if gt != "urn:ietf:params:oauth:grant-type:jwt-bearer":
            return 400, {"error": "unsupported_grant_type",
                         "error_description": "Invalid grant_type: %s"
                         % gt}
        why = self.check_jwt(form.get("assertion", ""), url)
        entry = {"grant_type": gt, "iss": _claim(form.get("assertion", ""),
                                                 "iss"),
                 "verified": why is None}
        if why:
            self.log(dict(entry, error=why))
            return 400, {"error": "invalid_grant", "error_description": why}
        return 200, self.grant(entry)

    def check_jwt(self, jwt, url):
        """None when the assertion is good, else Google's reason."""
        parts = jwt.split(".")
        if len(parts) != 3:
            return "Invalid JWT: Token must be a short-lived token and in" \
                " a reasonable timeframe"
        try:
            head = json.loads(_b64d(parts[0]))
            claims = json.loads(_b64d(parts[1]))
            sig = _b64d(parts[2])
        except ValueError:
            return "Invalid JWT Signature."
        if head.get("alg") != "RS256":
            return "Invalid JWT Signature."
        key = self.keys.get(claims.get("iss"))
        if key is None:
            return "Invalid JWT Signature."
        if not rs256_ok(key, (parts[0] + "." + parts[1]).encode(), sig):
            return "Invalid JWT Signature."
        now = time.time()
        iat, exp = claims.get("iat", 0), claims.get("exp", 0)
        if claims.get("aud") != url:
            return "Invalid JWT: Failed audience check."
        if iat > now + 60 or exp < now or exp - iat > 3600:
            return "Invalid JWT: Token must be a short-lived token (60 " \
                "minutes) and in a reasonable timeframe. Check your iat " \
                "and exp values in the JWT claim."
        if not claims.get("scope"):
            return "Invalid JWT: No access token scope"
        return None
