#!/usr/bin/env python3
"""Writes Schemas/<dataset>.json for every dataset in ../shared/data/.

The schemas are hand-written here, column by column, with the reason for every bound and
category list: `public` where it is known without the data (a study's inclusion criteria, a
code book, a physiological range a clinician would state before seeing any patient), `data`
where it was read off the data and no public source exists. Run from the repository root:

    python3 scripts/make-schemas.py

`dpsynth schema check ../shared/data/NAME.csv --schema Schemas/NAME.json` checks each one, and
DPSynthTabularTests.DatasetSchemaTests reads every dataset with its schema.
"""
import json
import os

FORMAT = "dpsynth-schema/1"


def bounds(low, high, provenance, reason):
    return {"min": low, "max": high, "provenance": provenance, "reason": reason}


def categories(values, provenance, reason):
    return {"values": list(values), "provenance": provenance, "reason": reason}


def column(name, kind, description, nullable=False, role="feature", **extra):
    c = {"name": name, "kind": kind, "nullable": nullable, "role": role, "description": description}
    c.update(extra)
    return c


def number(name, kind, low, high, provenance, reason, description, transform=None, decimals=None, public_range=None, **extra):
    c = column(name, kind, description, bounds=bounds(low, high, provenance, reason), **extra)
    if public_range:
        c["bounds"]["publicRange"] = {"min": public_range[0], "max": public_range[1], "reason": public_range[2]}
    if transform:
        c["transform"] = {"method": transform}
    if decimals is not None:
        c["decimals"] = decimals
    return c


def category(name, kind, values, provenance, reason, description, **extra):
    return column(name, kind, description, categories=categories(values, provenance, reason), **extra)


def boolean(name, values, description, **extra):
    return category(name, "boolean", values, "public", f"the {values[0]}/{values[1]} coding of a yes/no column", description, **extra)


SCHEMAS = {}

SCHEMAS["flchain"] = {
    "description": "Serum free light chain assay, Olmsted County residents aged 50+ (Dispenzieri et al. 2012; R survival::flchain). Label: death. futime and chapter are dropped: chapter is set only for the dead, so it leaks the label.",
    "columns": [
        number("age", "integer", 50, 110, "public", "the study sampled residents aged 50 and over (Kyle et al. 2006); 110 exceeds any plausible age at sampling", "age in years at sampling"),
        category("sex", "categorical", ["F", "M"], "public", "code book of survival::flchain", "sex"),
        number("sample.yr", "integer", 1995, 2003, "public", "serum samples were collected 1995-2003 (Kyle et al. 2006)", "calendar year of the blood sample"),
        number("kappa", "continuous", 0, 50, "public", "serum free kappa in mg/dL: reference range 0.33-1.94; 50 mg/dL is far into myeloma range, values above are clipped", "serum free light chain, kappa portion (mg/dL)", transform="log", decimals=3),
        number("lambda", "continuous", 0, 50, "public", "serum free lambda in mg/dL: reference range 0.57-2.63; 50 mg/dL is far into myeloma range", "serum free light chain, lambda portion (mg/dL)", transform="log", decimals=3),
        category("flc.grp", "ordinal", [str(i) for i in range(1, 11)], "public", "deciles of total free light chain, 10 groups by construction (Dispenzieri et al. 2012)", "FLC decile group"),
        number("creatinine", "continuous", 0, 15, "public", "serum creatinine in mg/dL: normal 0.6-1.3, dialysis-range values rarely exceed 15", "serum creatinine (mg/dL)", transform="log", decimals=1, nullable=True),
        boolean("mgus", ["0", "1"], "monoclonal gammopathy (MGUS) diagnosed"),
        number("futime", "integer", 0, 6000, "public", "days from sampling (1995 or later) to death or last contact; the data were frozen before 2011, so at most about 16 years", "follow-up time in days (dropped: survival time, not a covariate)", role="drop"),
        boolean("death", ["0", "1"], "died during follow-up (the label)", role="label"),
        category("chapter", "categorical", ["Blood", "Circulatory", "Congenital", "Digestive", "Endocrine", "External Causes", "Genitourinary", "Ill Defined", "Infectious", "Injury and Poisoning", "Mental", "Musculoskeletal", "Neoplasms", "Nervous", "Respiratory", "Skin"], "data",
                 "the 16 levels present in the data (ICD-9 chapter headings as the package spells them)", "ICD-9 chapter of the primary cause of death (dropped: only set for the dead)", nullable=True, role="drop"),
    ],
}

LAB = "a range a hepatologist would state before seeing the data"
SCHEMAS["pbc"] = {
    "description": "Mayo Clinic primary biliary cholangitis trial, 1974-1984 (Therneau & Grambsch 2000; R survival::pbc). Label: status (2 = dead). id is an identifier (regenerated); time is dropped.",
    "columns": [
        column("id", "identifier", "case number: regenerated on output, never copied"),
        number("time", "integer", 0, 5500, "public", "days from registration (1974-1984) to death, transplant or the end of follow-up (data frozen in 1988): at most about 15 years", "follow-up in days (dropped: survival time, not a covariate)", role="drop"),
        category("status", "categorical", ["0", "1", "2"], "public", "code book: 0 censored, 1 liver transplant, 2 dead", "status at the end of follow-up (the label; positive class 2)", role="label"),
        category("trt", "categorical", ["1", "2"], "public", "code book: 1 D-penicillamine, 2 placebo; missing for the 106 non-randomised patients", "treatment arm", nullable=True),
        number("age", "continuous", 18, 100, "public", "an adult trial; 100 exceeds any plausible age at registration", "age in years at registration"),
        category("sex", "categorical", ["m", "f"], "public", "code book", "sex"),
        boolean("ascites", ["0", "1"], "ascites present", nullable=True),
        boolean("hepato", ["0", "1"], "hepatomegaly present", nullable=True),
        boolean("spiders", ["0", "1"], "spider angiomata present", nullable=True),
        category("edema", "ordinal", ["0", "0.5", "1"], "public", "code book: 0 none, 0.5 untreated or resolved by diuretics, 1 despite diuretics", "oedema"),
        number("bili", "continuous", 0, 50, "public", "serum bilirubin in mg/dL: normal below 1.2, severe cholestasis rarely above 50; " + LAB, "serum bilirubin (mg/dL)", transform="log", decimals=1),
        number("chol", "integer", 0, 2000, "public", "serum cholesterol in mg/dL: PBC with xanthomata can exceed 1,000; " + LAB, "serum cholesterol (mg/dL)", transform="log", nullable=True),
        number("albumin", "continuous", 1, 6, "public", "serum albumin in g/dL: the physiological range", "serum albumin (g/dL)", decimals=2),
        number("copper", "integer", 0, 1000, "public", "urine copper in ug/day: normal below 40, Wilson-range values reach several hundred; " + LAB, "urine copper (ug/day)", transform="log", nullable=True),
        number("alk.phos", "continuous", 0, 15000, "public", "alkaline phosphatase in U/L: normal below 150, cholestatic disease reaches the tens of thousands rarely; " + LAB, "alkaline phosphatase (U/L)", transform="log", decimals=1, nullable=True),
        number("ast", "continuous", 0, 1000, "public", "aspartate aminotransferase in U/L: normal below 40; " + LAB, "AST (U/L)", transform="log", decimals=2, nullable=True),
        number("trig", "integer", 0, 1000, "public", "triglycerides in mg/dL: normal below 150; " + LAB, "triglycerides (mg/dL)", transform="log", nullable=True),
        number("platelet", "integer", 0, 1000, "public", "platelet count in 10^3/uL: normal 150-450; " + LAB, "platelet count (10^3/uL)", nullable=True),
        number("protime", "continuous", 5, 25, "public", "prothrombin time in seconds: normal 10-13, severe coagulopathy rarely above 25", "prothrombin time (s)", decimals=1, nullable=True),
        category("stage", "ordinal", ["1", "2", "3", "4"], "public", "histologic stage 1-4 (Ludwig), by definition", "histologic stage", nullable=True),
    ],
}

SCHEMAS["gbsg2"] = {
    "description": "German Breast Cancer Study Group 2 trial of node-positive breast cancer (Schumacher et al. 1994; lifelines load_gbsg2). Label: cens. time is dropped.",
    "columns": [
        boolean("horTh", ["no", "yes"], "hormonal therapy (tamoxifen)"),
        number("age", "integer", 18, 100, "public", "an adult trial; 100 exceeds any plausible age at surgery", "age in years"),
        category("menostat", "categorical", ["Pre", "Post"], "public", "code book: pre- or postmenopausal", "menopausal status"),
        # Log scale for tumour size and node count: TNM staging cuts them at ratios (T1-T3 at
        # 20 and 50 mm; N1-N3 at 1-3, 4-9 and 10 or more nodes), so on a linear scale of the
        # public range most patients share one bin of the released marginals.
        number("tsize", "integer", 0, 200, "public", "tumour size in mm: operable tumours are rarely above 150 mm", "tumour size (mm)", transform="log"),
        category("tgrade", "ordinal", ["I", "II", "III"], "public", "Bloom-Richardson grade I < II < III", "tumour grade"),
        number("pnodes", "integer", 1, 60, "public", "the trial enrolled node-positive patients (at least 1); an axillary dissection removes at most about 60 nodes", "positive lymph nodes", transform="log"),
        number("progrec", "integer", 0, 5000, "public", "progesterone receptor in fmol/mg: assays report 0 to a few thousand", "progesterone receptor (fmol/mg)", transform="log"),
        number("estrec", "integer", 0, 5000, "public", "oestrogen receptor in fmol/mg: assays report 0 to a few thousand", "oestrogen receptor (fmol/mg)", transform="log"),
        number("time", "integer", 0, 3650, "public", "recruitment 1984-1989 with follow-up to the early 1990s: under 10 years", "recurrence-free survival time in days (dropped)", role="drop"),
        boolean("cens", ["0", "1"], "recurrence or death observed (the label)", role="label"),
    ],
}

SCHEMAS["diabetes"] = {
    "description": "Diabetes progression data of Efron, Hastie, Johnstone & Tibshirani (2004), unscaled (scikit-learn load_diabetes(scaled=False)). Label: target (continuous; regression).",
    "columns": [
        number("age", "integer", 18, 100, "public", "adult patients; 100 exceeds any plausible age", "age in years"),
        category("sex", "categorical", ["1", "2"], "public", "code book: two codes", "sex"),
        number("bmi", "continuous", 10, 70, "public", "body-mass index in kg/m2: the survivable range", "body-mass index", decimals=1),
        number("bp", "continuous", 40, 200, "public", "average blood pressure in mmHg: the physiological range", "average blood pressure (mmHg)", decimals=2),
        number("s1", "integer", 50, 500, "public", "total serum cholesterol in mg/dL: physiological range", "tc, total serum cholesterol (mg/dL)"),
        number("s2", "continuous", 0, 400, "public", "LDL cholesterol in mg/dL: physiological range", "ldl, low-density lipoproteins (mg/dL)", decimals=1),
        number("s3", "continuous", 5, 150, "public", "HDL cholesterol in mg/dL: physiological range", "hdl, high-density lipoproteins (mg/dL)", decimals=1),
        number("s4", "continuous", 0, 15, "public", "total cholesterol / HDL ratio: physiological range", "tch, total cholesterol / HDL", decimals=2),
        number("s5", "continuous", 2.5, 8, "public", "natural log of serum triglycerides in mg/dL: log(12) to log(3000)", "ltg, log of serum triglycerides", decimals=4),
        number("s6", "integer", 40, 400, "public", "blood glucose in mg/dL: physiological range", "glu, blood sugar level (mg/dL)"),
        number("target", "integer", 25, 346, "data", "minimum and maximum of the data: the progression score has no published range", "disease progression one year after baseline (the label)", role="label",
               public_range=(0, 1000, "a wide range for a score of this kind, for the DP quantiles that can replace the data bounds")),
    ],
}

SCHEMAS["digits"] = {
    "description": "Optical recognition of handwritten digits, test part (Alpaydin & Kaynak; UCI; scikit-learn load_digits). 8x8 images whose pixels count the set bits of 4x4 blocks of a 32x32 bitmap. Label: digit.",
    "columns": [
        number(f"px_{r}_{c}", "integer", 0, 16, "public", "a pixel counts the set bits in a 4x4 block: 0 to 16 by construction", f"pixel row {r}, column {c}")
        for r in range(8) for c in range(8)
    ] + [
        category("digit", "categorical", [str(d) for d in range(10)], "public", "the ten digits", "the digit drawn (the label)", role="label"),
    ],
}

WDBC_FEATURES = ["radius", "texture", "perimeter", "area", "smoothness", "compactness", "concavity", "concave points", "symmetry", "fractal dimension"]
WDBC_DATA_BOUNDS = {}


def wdbc_public_range(feature):
    """Ranges known from what each feature measures (in the digitised images' units)."""
    if feature in ("radius", "texture"):
        return (0, 100, "a nucleus radius or grey-level spread in these units stays far below 100")
    if feature == "perimeter":
        return (0, 1000, "about 2 pi times a radius below 100")
    if feature == "area":
        return (0, 10000, "about pi times a radius below 100, squared")
    return (0, 10, "a dimensionless shape ratio, far below 10")


def wdbc_columns():
    import csv
    here = os.path.dirname(os.path.abspath(__file__))
    path = os.path.join(here, "..", "..", "shared", "data", "breast_cancer_wdbc.csv")
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    columns = []
    for prefix, suffix in [("mean ", ""), ("", " error"), ("worst ", "")]:
        for feature in WDBC_FEATURES:
            name = f"{prefix}{feature}{suffix}"
            values = [float(r[name]) for r in rows]
            texts = [r[name] for r in rows]
            decimals = max((len(t.split(".")[1]) if "." in t else 0) for t in texts)
            columns.append(number(name, "continuous", min(values), max(values), "data",
                                  "minimum and maximum of the data: image-analysis features of digitised cell nuclei have no a priori range; pay for them with --schema-epsilon or declare them",
                                  f"{feature} of the cell nuclei ({'mean' if prefix == 'mean ' else 'worst (mean of the three largest)' if prefix else 'standard error'})",
                                  decimals=decimals, public_range=wdbc_public_range(feature)))
    columns.append(category("diagnosis", "categorical", ["malignant", "benign"], "public", "the two diagnoses", "diagnosis (the label; positive class malignant)", role="label"))
    return columns


SCHEMAS["breast_cancer_wdbc"] = {
    "description": "Wisconsin Diagnostic Breast Cancer (Street, Wolberg & Mangasarian 1993; UCI; scikit-learn load_breast_cancer). 30 image features with data-derived bounds (no public range exists), and the diagnosis.",
    "columns": None,
}

CPS = "UCI adult.names (the CPS code book)"
SCHEMAS["adult"] = {
    "description": "UCI Adult census extract (Becker & Kohavi 1996), as distributed with CTGAN's examples: values start with a space (trimmed) and '?' marks a missing value. Label: income. fnlwgt (a sampling weight) is dropped.",
    "source": {"delimiter": ",", "missingTokens": ["", "?"], "trimWhitespace": True, "unknownCategory": "error"},
    "columns": [
        number("age", "integer", 17, 90, "public", "the extract keeps people aged 17 and over and the CPS top-codes age at 90 (" + CPS + ")", "age in years"),
        category("workclass", "categorical", ["Private", "Self-emp-not-inc", "Self-emp-inc", "Federal-gov", "Local-gov", "State-gov", "Without-pay", "Never-worked"], "public", CPS, "class of worker", nullable=True),
        number("fnlwgt", "integer", 12285, 1484705, "data", "minimum and maximum of the data (dropped, so never modelled)", "final sampling weight (dropped)", role="drop"),
        category("education", "categorical", ["Bachelors", "Some-college", "11th", "HS-grad", "Prof-school", "Assoc-acdm", "Assoc-voc", "9th", "7th-8th", "12th", "Masters", "1st-4th", "10th", "Doctorate", "5th-6th", "Preschool"], "public", CPS, "highest education"),
        number("education-num", "integer", 1, 16, "public", "the 16 education levels numbered 1-16 (" + CPS + ")", "education level as a number"),
        category("marital-status", "categorical", ["Married-civ-spouse", "Divorced", "Never-married", "Separated", "Widowed", "Married-spouse-absent", "Married-AF-spouse"], "public", CPS, "marital status"),
        category("occupation", "categorical", ["Tech-support", "Craft-repair", "Other-service", "Sales", "Exec-managerial", "Prof-specialty", "Handlers-cleaners", "Machine-op-inspct", "Adm-clerical", "Farming-fishing", "Transport-moving", "Priv-house-serv", "Protective-serv", "Armed-Forces"], "public", CPS, "occupation", nullable=True),
        category("relationship", "categorical", ["Wife", "Own-child", "Husband", "Not-in-family", "Other-relative", "Unmarried"], "public", CPS, "relationship in the household"),
        category("race", "categorical", ["White", "Asian-Pac-Islander", "Amer-Indian-Eskimo", "Other", "Black"], "public", CPS, "race"),
        category("sex", "categorical", ["Female", "Male"], "public", CPS, "sex"),
        number("capital-gain", "integer", 0, 99999, "public", "the CPS top-codes capital gains at 99,999", "capital gains (USD)", transform="log"),
        number("capital-loss", "integer", 0, 4356, "data", "minimum and maximum of the data: adult.names documents no top code for losses", "capital losses (USD)", transform="log",
               public_range=(0, 100000, "the order of the capital-gains top code, for the DP quantiles that can replace the data bounds")),
        number("hours-per-week", "integer", 1, 99, "public", "the CPS records usual hours 1-99 (99 = 99 or more)", "usual hours worked per week"),
        category("native-country", "categorical", ["United-States", "Cambodia", "England", "Puerto-Rico", "Canada", "Germany", "Outlying-US(Guam-USVI-etc)", "India", "Japan", "Greece", "South", "China", "Cuba", "Iran", "Honduras", "Philippines", "Italy", "Poland", "Jamaica", "Vietnam", "Mexico", "Portugal", "Ireland", "France", "Dominican-Republic", "Laos", "Ecuador", "Taiwan", "Haiti", "Columbia", "Hungary", "Guatemala", "Nicaragua", "Scotland", "Thailand", "Yugoslavia", "El-Salvador", "Trinadad&Tobago", "Peru", "Hong", "Holand-Netherlands"], "public", CPS + ", spellings as published", "country of birth", nullable=True),
        category("income", "categorical", ["<=50K", ">50K"], "public", CPS, "income above 50,000 USD (the label; positive class >50K)", role="label"),
    ],
}


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    out = os.path.join(here, "..", "Schemas")
    os.makedirs(out, exist_ok=True)
    SCHEMAS["breast_cancer_wdbc"]["columns"] = wdbc_columns()
    for name, spec in SCHEMAS.items():
        schema = {
            "format": FORMAT,
            "name": name,
            "description": spec["description"],
            "source": spec.get("source", {"delimiter": ",", "missingTokens": [""], "trimWhitespace": False, "unknownCategory": "error"}),
            "columns": spec["columns"],
        }
        with open(os.path.join(out, f"{name}.json"), "w") as f:
            json.dump(schema, f, indent=2, sort_keys=True, ensure_ascii=False)
            f.write("\n")
        print(f"wrote Schemas/{name}.json ({len(spec['columns'])} columns)")


if __name__ == "__main__":
    main()
