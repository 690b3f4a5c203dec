from decimal import Decimal

import pytest

from perfeval.core.profiles import ProfileError, list_profiles, load_profile, parse_profile


def test_the_shipped_profiles_load_and_their_first_level_weights_add_to_100():
    names = list_profiles()
    assert {"gansu-department", "national-project", "jiangxi-department", "hubei-department"} <= set(names)
    for name in names:
        p = load_profile(name)
        assert sum(p.first_level.values()) == Decimal(100)


def test_seed_profile_has_the_seeds_weights_and_bands():
    p = load_profile("gansu-department")
    assert list(p.first_level.values()) == [10, 20, 50, 10, 10]
    assert [b.lower for b in p.bands] == [Decimal("0.8"), Decimal("0.6"), Decimal(0)]
    assert p.execution.base == "full_year"


def test_project_profile_is_the_national_10_50_30_10_table():
    p = load_profile("national-project")
    assert p.first_level_weight("产出") == 50 and p.first_level_weight("效益指标") == 30


def test_an_unknown_profile_lists_the_available_ones():
    with pytest.raises(ProfileError, match="可用"):
        load_profile("nowhere")


def test_a_bad_profile_names_the_key_that_is_wrong():
    data = load_profile("gansu-department").model_dump()
    data["first_level"]["履职效果"] = 40
    with pytest.raises(ProfileError, match="first_level"):
        parse_profile(data, "edited.toml")
    data = load_profile("gansu-department").model_dump()
    data["execution"]["method"] = "magic"
    with pytest.raises(ProfileError, match="execution.method"):
        parse_profile(data, "edited.toml")


def test_a_department_can_copy_and_edit_a_profile(tmp_path):
    from perfeval.core import profiles

    src = (profiles._builtin_dir() / "gansu-department.toml").read_text(encoding="utf-8")
    edited = tmp_path / "my.toml"
    edited.write_text(src.replace("over_achievement_threshold = 0.30", "over_achievement_threshold = 0.20"),
                      encoding="utf-8")
    assert load_profile(edited).indicators.over_achievement_threshold == Decimal("0.2")


def test_an_edited_profile_file_takes_effect_without_a_restart(tmp_path):
    import os

    from perfeval.core import profiles

    src = (profiles._builtin_dir() / "gansu-department.toml").read_text(encoding="utf-8")
    path = tmp_path / "mine.toml"
    path.write_text(src, encoding="utf-8")
    assert load_profile(path).indicators.over_achievement_threshold == Decimal("0.3")
    path.write_text(src.replace("over_achievement_threshold = 0.30", "over_achievement_threshold = 0.25"),
                    encoding="utf-8")
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000))
    assert load_profile(path).indicators.over_achievement_threshold == Decimal("0.25")
