"""The job `transfercalc aggregate` does, done by DuckDB or pandas, for Benchmarks/run.

    python compare.py duckdb|pandas REGISTER YEAR PRIOR OUT.csv [--ids]

Writes the same settlement table (code, cross_province, within_province, within_city,
prior_1..prior_K) so run can check that every tool did the same job; with --ids it also
looks for a repeated person_id, as aggregate does. Dates are YYYY-MM-DD here (benchgen
writes only that shape); aggregate also accepts YYYY/M/D and YYYYMMDD. The origin rule is the
register's (docs/guides/OriginClassification.md): province = first 2 characters; prefecture =
the whole municipality for 11, 12, 31, 50, the whole code when characters 3-4 are 90 or the code
is shorter than 4, else the first 4 characters.
"""
import sys


def main():
    engine, path, year, prior, out = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
    ids = "--ids" in sys.argv
    first = year - prior
    if engine == "duckdb":
        import duckdb
        con = duckdb.connect()
        con.execute("SET threads = 2")
        priors = ", ".join(
            f"count(*) FILTER (WHERE y = {year - k}) AS prior_{k}" for k in range(1, prior + 1))
        source = f"read_csv('{path}', header = true, all_varchar = true)"
        def prefecture(c):
            return (f"CASE WHEN left({c}, 2) IN ('11', '12', '31', '50') THEN left({c}, 2) "
                    f"WHEN length({c}) < 4 OR substr({c}, 3, 2) = '90' THEN {c} ELSE left({c}, 4) END")
        query = f"""
            WITH r AS (SELECT dest_code, origin_code, year(strptime(settle_date, '%Y-%m-%d')) AS y,
                              {prefecture('dest_code')} AS dp, {prefecture('origin_code')} AS op FROM {source})
            SELECT dest_code AS code,
              count(*) FILTER (WHERE y = {year} AND left(dest_code, 2) <> left(origin_code, 2)) AS cross_province,
              count(*) FILTER (WHERE y = {year} AND left(dest_code, 2) = left(origin_code, 2)
                               AND dp <> op) AS within_province,
              count(*) FILTER (WHERE y = {year} AND left(dest_code, 2) = left(origin_code, 2) AND dp = op) AS within_city,
              {priors}
            FROM r WHERE y BETWEEN {first} AND {year} GROUP BY dest_code ORDER BY dest_code"""
        con.execute(f"COPY ({query}) TO '{out}' (HEADER, DELIMITER ',')")
        if ids:
            repeated = con.execute(
                f"SELECT count(*) FROM (SELECT person_id FROM {source} WHERE person_id <> '' "
                f"GROUP BY person_id HAVING count(*) > 1)").fetchone()[0]
            if repeated:
                sys.exit(f"{repeated} repeated person_id(s)")
    elif engine == "pandas":
        import pandas as pd
        columns = ["dest_code", "origin_code", "settle_date"] + (["person_id"] if ids else [])
        frame = pd.read_csv(path, usecols=columns, dtype=str, engine="c")
        y = pd.to_datetime(frame["settle_date"], format="%Y-%m-%d").dt.year
        if ids:
            present = frame["person_id"].dropna()
            if present.duplicated().any():
                sys.exit("repeated person_id")
        window = frame[(y >= first) & (y <= year)]
        wy = y[(y >= first) & (y <= year)]
        same2 = window["dest_code"].str[:2] == window["origin_code"].str[:2]
        def prefecture(codes):
            municipal = codes.str[:2].isin(["11", "12", "31", "50"])
            whole = (codes.str.len() < 4) | (codes.str[2:4] == "90")
            return codes.str[:4].where(~whole, codes).where(~municipal, codes.str[:2])
        same4 = same2 & (prefecture(window["dest_code"]) == prefecture(window["origin_code"]))
        current = wy == year
        table = pd.DataFrame({"code": window["dest_code"]})
        table["cross_province"] = (current & ~same2).astype(int)
        table["within_province"] = (current & same2 & ~same4).astype(int)
        table["within_city"] = (current & same4).astype(int)
        for k in range(1, prior + 1):
            table[f"prior_{k}"] = (wy == year - k).astype(int)
        result = table.groupby("code", sort=True).sum()
        result.to_csv(out)
    else:
        sys.exit(f"unknown engine {engine}")


main()
