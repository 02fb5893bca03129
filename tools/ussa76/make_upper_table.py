#!/usr/bin/env python3
"""Compute the U.S. Standard Atmosphere, 1976 above 86 km from its defining equations.

Writes two files from one integration:

  crates/rampart-sim/src/physics/atmosphere/upper_table.rs
      the node table that `physics::atmosphere` interpolates (density and pressure at 117
      geometric altitudes from 86 to 1,000 km, five significant figures);
  crates/rampart-sim/tests/data/ussa76_upper.csv
      the same quantities at every altitude of the standard's Table I above 86 km (every
      0.5 km to 100 km, 1 km to 300 km, 2 km to 500 km, 5 km to 1,000 km), which the
      integration tests compare the interpolant against.

Source: U.S. Standard Atmosphere, 1976 (NOAA-S/T 76-1562), Part 1 and Appendix B.
Kinetic temperature, Table 5 and eqs. 27-32 (with Appendix B's ellipse constants); gravity,
eq. 17; eddy diffusion K, eq. 7a-c; molecular diffusion D_i = a_i (T/273.15)^b_i / n, eq. 8
(n: N2 for O and O2; N2 + O + O2 for Ar and He; N2 + O + O2 + Ar + He for H); the
species number densities of N2, O, O2, Ar and He from 86 km (Table 9) with the thermal
diffusion, transport and flux constants of Tables 6 and 7 (the mean molecular weight in the
eddy term is M0 to 100 km, then that of N2 for O and O2 and of N2+O+O2 for Ar and He);
hydrogen from 150 km with its upward flux, fixed at 8.0e10 m^-3 at 500 km; pressure
p = N k T and density rho = sum(n_i M_i) / N_A.

The number-density exponents are integrated with the trapezoidal rule in 1 m steps; halving
the step changes a written value by at most one unit in its fifth figure. The script checks
itself against printed Table I values (listed in PRINTED below) and exits non-zero if any
density or pressure differs by more than 0.05 %.

Standard library only. Run from the repository root:
    python3 tools/ussa76/make_upper_table.py
"""

import math
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TABLE_RS = ROOT / "crates/rampart-sim/src/physics/atmosphere/upper_table.rs"
TABLE_CSV = ROOT / "crates/rampart-sim/tests/data/ussa76_upper.csv"

STEP_KM = 0.001

R0 = 6356.766  # km, effective Earth radius
G0 = 9.80665  # m/s^2
R_STAR = 8314.32  # J/(kmol K)
K_BOLTZMANN = 1.380622e-23  # J/K
N_AVOGADRO = 6.022169e26  # 1/kmol
M0 = 28.9644  # kg/kmol
Z7, T7 = 86.0, 186.8673
T_INF, LAMBDA = 1000.0, 0.01875  # K, 1/km
T_C, A_ELL, a_ELL = 263.1905, -76.3232, -19.9429  # Appendix B ellipse, K, K, km

M = {"N2": 28.0134, "O": 15.9994, "O2": 31.9988, "Ar": 39.948, "He": 4.0026, "H": 1.00797}
N_86 = {"N2": 1.129794e20, "O": 8.6e16, "O2": 3.030898e19, "Ar": 1.351400e18, "He": 7.5817e14}
ALPHA = {"O": 0.0, "O2": 0.0, "Ar": 0.0, "He": -0.40, "H": -0.25}
A_DIFF = {"O": 6.986e20, "O2": 4.863e20, "Ar": 4.487e20, "He": 1.700e21, "H": 3.305e21}
B_DIFF = {"O": 0.750, "O2": 0.750, "Ar": 0.870, "He": 0.691, "H": 0.500}
Q_FLUX = {"O": -5.809644e-4, "O2": 1.366212e-4, "Ar": 9.434079e-5, "He": -2.457369e-4}
U_FLUX = {"O": 56.90311, "O2": 86.0, "Ar": 86.0, "He": 86.0}
W_FLUX = {"O": 2.706240e-5, "O2": 8.333333e-5, "Ar": 8.333333e-5, "He": 6.666667e-4}
q_O, u_O, w_O = -3.416248e-3, 97.0, 5.008765e-4  # O only, below 97 km
K_EDDY_7 = 120.0  # m^2/s
N_H_500, PHI_H = 8.0e10, 7.2e11  # m^-3 at 500 km; upward flux, m^-2 s^-1

# Printed Table I values: (z km, p Pa, rho kg/m^3). 86-1000 km as listed (five figures) in
# the Atmosphere1976 module of Public Domain Aeronautical Software (R. Carmichael), and the
# four-figure values at 90, 95, 110, 120, 130 km found in other reproductions.
PRINTED = [
    (86, 3.7338e-1, 6.9579e-6), (90, 1.8359e-1, 3.416e-6), (93, 1.0801e-1, 1.9997e-6),
    (95, 7.5966e-2, 1.393e-6), (100, 3.2011e-2, 5.6041e-7), (107, 1.0751e-2, 1.6426e-7),
    (110, 7.1042e-3, 9.708e-8), (114, 4.4473e-3, 4.9752e-8), (120, 2.5382e-3, 2.222e-8),
    (121, 2.3402e-3, 1.9768e-8), (128, 1.4183e-3, 9.7173e-9), (130, 1.2505e-3, 8.152e-9),
    (135, 9.3572e-4, 5.4652e-9), (142, 6.5297e-4, 3.3580e-9), (150, 4.5422e-4, 2.0757e-9),
    (160, 3.0397e-4, 1.2332e-9), (170, 2.1212e-4, 7.8155e-10), (180, 1.5273e-4, 5.1944e-10),
    (190, 1.1267e-4, 3.5808e-10), (200, 8.4743e-5, 2.5409e-10), (250, 2.4767e-5, 6.0732e-11),
    (300, 8.7704e-6, 1.9160e-11), (400, 1.4518e-6, 2.8031e-12), (500, 3.0236e-7, 5.2159e-13),
    (600, 8.2130e-8, 1.1369e-13), (700, 3.1908e-8, 3.0698e-14), (800, 1.7036e-8, 1.1361e-14),
    (1000, 7.5138e-9, 3.5614e-15),
]


def nodes_km():
    """The interpolation nodes: finer where the scale height is small or the profile bends."""
    spans = [(86, 105, 1.0), (105, 112, 0.5), (112, 120, 1.0), (120, 150, 2.0),
             (150, 200, 5.0), (200, 500, 10.0), (500, 1000, 25.0)]
    out = []
    for a, b, step in spans:
        n = int(round((b - a) / step))
        out += [a + k * step for k in range(n)]
    return out + [1000.0]


def table_i_km():
    """The altitudes of the standard's Table I above 86 km."""
    spans = [(86, 100, 0.5), (100, 300, 1.0), (300, 500, 2.0), (500, 1000, 5.0)]
    out = []
    for a, b, step in spans:
        n = int(round((b - a) / step))
        out += [a + k * step for k in range(n)]
    return out + [1000.0]


def temperature(z):
    """Kinetic temperature (K) and its gradient (K/km): Table 5, eqs. 27-32."""
    if z <= 91.0:
        return T7, 0.0
    if z <= 110.0:
        x = (z - 91.0) / a_ELL
        s = math.sqrt(1.0 - x * x)
        return T_C + A_ELL * s, -A_ELL / a_ELL * x / s
    if z <= 120.0:
        return 240.0 + 12.0 * (z - 110.0), 12.0
    e = math.exp(-LAMBDA * (z - 120.0) * (R0 + 120.0) / (R0 + z))
    slope = LAMBDA * (T_INF - 360.0) * ((R0 + 120.0) / (R0 + z)) ** 2 * e
    return T_INF - (T_INF - 360.0) * e, slope


def gravity(z):
    return G0 * (R0 / (R0 + z)) ** 2


def eddy(z):
    if z < 95.0:
        return K_EDDY_7
    if z < 115.0:
        x = (z - 95.0) ** 2
        return K_EDDY_7 * math.exp(-x / (400.0 - x))
    return 0.0


def transport(sp, z):
    """The flux term v_i / (D_i + K), 1/km."""
    d = z - U_FLUX[sp]
    f = Q_FLUX[sp] * d * d * math.exp(-W_FLUX[sp] * d ** 3)
    if sp == "O" and z <= u_O:
        e = u_O - z
        f += q_O * e * e * math.exp(-w_O * e ** 3)
    return f


def integrate():
    """Number densities (m^-3) of all six species on a uniform grid from 86 to 1000 km."""
    n_steps = int(round((1000.0 - Z7) / STEP_KM))
    heavy = ["N2", "O", "O2", "Ar", "He"]
    expo = {s: 0.0 for s in heavy}
    prev = None
    rows = []
    for i in range(n_steps + 1):
        z = Z7 + i * STEP_KM
        t, dt = temperature(z)
        g = gravity(z)
        k = eddy(z)
        above_100 = z > 100.0
        f = {"N2": g * (M["N2"] if above_100 else M0) / (R_STAR * t) * 1e3}
        # Densities at z with the exponents so far (N2 and O, O2 are needed for D below);
        # the exponent of O and O2 at z is completed before Ar and He use them.
        if prev is not None:
            expo["N2"] += 0.5 * STEP_KM * (f["N2"] + prev["N2"])
        n = {"N2": N_86["N2"] * T7 / t * math.exp(-expo["N2"])}
        for sp in heavy[1:]:
            if sp in ("O", "O2"):
                n_d = n["N2"]
                m_eddy = M["N2"] if above_100 else M0
            else:
                n_d = n["N2"] + n["O"] + n["O2"]
                m_eddy = (
                    (n["N2"] * M["N2"] + n["O"] * M["O"] + n["O2"] * M["O2"]) / n_d
                    if above_100
                    else M0
                )
            d = A_DIFF[sp] * (t / 273.15) ** B_DIFF[sp] / n_d
            r = d / (d + k)
            thermal = ALPHA[sp] * R_STAR * dt * 1e-3 / g
            fi = g / (R_STAR * t) * r * (M[sp] + m_eddy * k / d + thermal) * 1e3
            f[sp] = fi + transport(sp, z)
            if prev is not None:
                expo[sp] += 0.5 * STEP_KM * (f[sp] + prev[sp])
            n[sp] = N_86[sp] * T7 / t * math.exp(-expo[sp])
        prev = f
        rows.append([z, t, n])
    add_hydrogen(rows)
    return rows


def add_hydrogen(rows):
    """Hydrogen: zero below 150 km; diffusion with upward flux to 500 km; equilibrium above."""
    zs = [r[0] for r in rows]
    i500 = int(round((500.0 - Z7) / STEP_KM))
    i150 = int(round((150.0 - Z7) / STEP_KM))
    t500 = rows[i500][1]
    one_alpha = 1.0 + ALPHA["H"]
    f_tau = [gravity(z) * M["H"] / (R_STAR * t) * 1e3 for z, t, _ in rows]
    tau = [0.0] * len(rows)
    for i in range(i500 + 1, len(rows)):
        tau[i] = tau[i - 1] + 0.5 * (zs[i] - zs[i - 1]) * (f_tau[i] + f_tau[i - 1])
    for i in range(i500 - 1, i150 - 1, -1):
        tau[i] = tau[i + 1] - 0.5 * (zs[i + 1] - zs[i]) * (f_tau[i] + f_tau[i + 1])

    def flux_integrand(i):  # per metre
        _, t, n = rows[i]
        d = A_DIFF["H"] * (t / 273.15) ** B_DIFF["H"] / sum(n.values())
        return PHI_H / d * (t / t500) ** one_alpha * math.exp(tau[i])

    flux = [0.0] * len(rows)
    acc, f_hi = 0.0, flux_integrand(i500)
    for i in range(i500 - 1, i150 - 1, -1):
        f_lo = flux_integrand(i)
        acc += 0.5 * (zs[i + 1] - zs[i]) * 1e3 * (f_lo + f_hi)
        flux[i] = acc
        f_hi = f_lo
    for i, (z, t, n) in enumerate(rows):
        if i < i150:
            n["H"] = 0.0
        else:
            n["H"] = (N_H_500 + flux[i]) * (t500 / t) ** one_alpha * math.exp(-tau[i])


def state(row):
    """(T K, p Pa, rho kg/m^3, mean molecular weight kg/kmol)."""
    _, t, n = row
    total = sum(n.values())
    rho = sum(n[s] * M[s] for s in n) / N_AVOGADRO
    return t, total * K_BOLTZMANN * t, rho, rho * N_AVOGADRO / total


def fig5(x):
    return f"{x:.4e}"


def main():
    rows = integrate()

    def at(z):
        return state(rows[int(round((z - Z7) / STEP_KM))])

    worst = 0.0
    for z, p, rho in PRINTED:
        _, pc, rc, _ = at(z)
        dp, dr = pc / p - 1.0, rc / rho - 1.0
        worst = max(worst, abs(dp), abs(dr))
        print(f"{z:6.1f} km  p {dp * 100:+.3f} %  rho {dr * 100:+.3f} %", file=sys.stderr)
    print(f"worst difference from the printed Table I: {worst * 100:.3f} %", file=sys.stderr)
    if worst > 5e-4:
        sys.exit("the integration does not reproduce the printed table")

    nodes = nodes_km()
    lines = [
        "//! Generated by `tools/ussa76/make_upper_table.py`; do not edit by hand.",
        "//!",
        "//! U.S. Standard Atmosphere, 1976 above 86 km: density and pressure at the nodes that",
        "//! [`super::upper`] interpolates, computed from the standard's defining equations (its",
        "//! Part 1, section 1.3: the species number densities of N2, O, O2, Ar, He and H) to the",
        "//! five significant figures of its Table I, which they reproduce within 0.03 % at",
        "//! every printed value checked (28 altitudes, 86 to 1,000 km).",
        "",
        f"/// Nodes: geometric altitude (km), density (kg/m³), pressure (Pa); {len(nodes)} rows.",
        "#[rustfmt::skip]",
        f"pub(super) const NODES: [[f64; 3]; {len(nodes)}] = [",
    ]
    for z in nodes:
        _, p, rho, _ = at(z)
        lines.append(f"    [{z:6.1f}, {fig5(rho)}, {fig5(p)}],")
    lines.append("];")
    TABLE_RS.parent.mkdir(parents=True, exist_ok=True)
    TABLE_RS.write_text("\n".join(lines) + "\n")

    csv = [
        "# U.S. Standard Atmosphere, 1976 at the altitudes of its Table I above 86 km, computed",
        "# from its defining equations by tools/ussa76/make_upper_table.py (five figures).",
        "z_km,temperature_k,pressure_pa,density_kg_m3,molecular_weight_kg_kmol",
    ]
    for z in table_i_km():
        t, p, rho, m = at(z)
        csv.append(f"{z:.1f},{t:.3f},{fig5(p)},{fig5(rho)},{m:.3f}")
    TABLE_CSV.parent.mkdir(parents=True, exist_ok=True)
    TABLE_CSV.write_text("\n".join(csv) + "\n")
    print(f"wrote {TABLE_RS.relative_to(ROOT)} and {TABLE_CSV.relative_to(ROOT)}", file=sys.stderr)


if __name__ == "__main__":
    main()
