"""How a region is named in lists: a grid with its village, since every village has a 第一网格."""

from __future__ import annotations

from safetynet.regions.models import Region


def test_a_grid_is_named_with_its_village_unless_its_name_already_says_it(cast):
    village = Region.objects.get(code="220821101200")
    bare = Region.objects.create(code="220821101200009", name="第九网格", level=Region.Level.GRID, parent=village)
    named = Region.objects.get(code="220821101200001")  # 坦途村第一网格
    assert bare.local_name == "坦途村第九网格" and named.local_name == "坦途村第一网格"
    assert village.local_name == "坦途村" and bare.full_name == "坦途镇坦途村第九网格"
