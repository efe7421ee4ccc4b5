"""Network analysis of the built graph with networkx: projections, centrality, communities,
path explanations, and files for other tools (GraphML, GEXF, CSV) and for people (PNG, SVG).

- ``read``: entities, mentions, texts and reference relations, with SPARQL on any ``GraphStore``;
- ``projections``: the three networks built from them (``load_networks``);
- ``metrics``: centrality rankings and communities;
- ``paths``: names resolved to IRIs, and how two entities are connected;
- ``files``: GraphML, GEXF and CSV (``write_analysis``);
- ``layout`` and ``drawing``: the picture of the entity network, with readable labels.

networkx and matplotlib are imported inside the functions that need them, so importing this
package stays cheap.
"""

from kg.analysis.drawing import draw_entity_network
from kg.analysis.files import AnalysisResult, write_analysis
from kg.analysis.metrics import Ranking, communities, rankings
from kg.analysis.paths import PathNotInNetwork, Step, explain_path, format_path, resolve_entity
from kg.analysis.projections import PROJECTIONS, Networks, Passage, load_networks
from kg.analysis.read import AnswerMention, NetworkNode

__all__ = [
    "PROJECTIONS",
    "AnalysisResult",
    "AnswerMention",
    "NetworkNode",
    "Networks",
    "Passage",
    "PathNotInNetwork",
    "Ranking",
    "Step",
    "communities",
    "draw_entity_network",
    "explain_path",
    "format_path",
    "load_networks",
    "rankings",
    "resolve_entity",
    "write_analysis",
]
