"""Known vulnerabilities in the installed dependencies (pip-audit), said plainly.

pip-audit reports « No known vulnerabilities found » even when it could check nothing (every
package skipped because the vulnerability service was out of reach). This wrapper counts what
was really checked:

- vulnerabilities found: listed, exit 1;
- some packages not checked (service unreachable, package unknown to it): said loudly, exit 0,
  or exit 2 when AUDIT_REQUIRED=1 (set it where the service is reachable, e.g. the forge's CI);
- everything checked and nothing found: exit 0.
"""

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path


def main() -> int:
    audit = Path(sys.executable).with_name("pip-audit")
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "audit.json"
        run = subprocess.run(  # noqa: S603
            [str(audit), "--local", "--progress-spinner", "off", "-f", "json", "-o", str(report)],
            capture_output=True,
            text=True,
            timeout=600,
        )
        data = json.loads(report.read_text()) if report.exists() else None
    required = os.environ.get("AUDIT_REQUIRED") == "1"
    if data is None:
        print("Audit des dépendances NON effectué : pip-audit n'a rien pu vérifier.")
        print((run.stderr or run.stdout).strip().splitlines()[-1:] or "")
        return 2 if required else 0
    dependencies = data.get("dependencies", [])
    skipped = [d for d in dependencies if d.get("skip_reason")]
    vulnerable = [d for d in dependencies if d.get("vulns")]
    checked = len(dependencies) - len(skipped)
    for dep in vulnerable:
        for vuln in dep["vulns"]:
            fixes = ", ".join(vuln.get("fix_versions") or []) or "aucune"
            print(f"VULNÉRABLE {dep['name']} {dep['version']} : {vuln['id']} (corrigé en {fixes})")
    print(
        f"pip-audit : {checked} paquet(s) vérifié(s) sur {len(dependencies)}, "
        f"{len(vulnerable)} vulnérable(s), {len(skipped)} non vérifié(s)."
    )
    if vulnerable:
        return 1
    if skipped:
        print(
            "ATTENTION : audit incomplet, la base de vulnérabilités n'a pas répondu pour "
            f"{len(skipped)} paquet(s) (exemple : {skipped[0]['skip_reason']}). "
            "Ce n'est PAS une absence de vulnérabilité connue."
        )
        return 2 if required else 0
    print("Aucune vulnérabilité connue dans les dépendances installées.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
