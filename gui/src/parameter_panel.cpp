#include "parameter_panel.hpp"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QRegularExpressionValidator>
#include <QToolButton>
#include <QVBoxLayout>

#include "flashscope/core/error.hpp"
#include "flashscope/sim/simulation_options.hpp"

namespace flashscope::gui {

namespace {

const char* const k_invalid_style = "border: 2px solid #d62728; background: #fff0f0;";

QString line_text(std::int64_t value, bool zero_is_auto) {
    return zero_is_auto && value == 0 ? QString() : QString::number(value);
}

}  // namespace

ParameterPanel::ParameterPanel(QWidget* parent) : QWidget(parent) {
    auto* layout = new QVBoxLayout(this);

    auto* gpu_box = new QGroupBox(tr("GPU"), this);
    auto* gpu_row = new QHBoxLayout(gpu_box);
    auto* gpu = new QComboBox(gpu_box);
    gpu->setObjectName(QStringLiteral("gpu"));
    for (const auto& name : sim::gpu_preset_names())
        gpu->addItem(QString::fromStdString(name), QString::fromStdString(name));
    m_widgets.insert(QStringLiteral("gpu"), gpu);
    auto* file = new QToolButton(gpu_box);
    file->setText(QStringLiteral("…"));
    file->setToolTip(tr("Load a GPU description (YAML, the schema of configs/gpus)"));
    gpu_row->addWidget(gpu, 1);
    gpu_row->addWidget(file);
    layout->addWidget(gpu_box);
    connect(file, &QToolButton::clicked, this, &ParameterPanel::gpu_file_requested);
    connect(gpu, &QComboBox::currentIndexChanged, this, &ParameterPanel::on_edited);

    auto* problem_box = new QGroupBox(tr("Problem"), this);
    auto* problem = new QFormLayout(problem_box);
    problem->addRow(tr("batch"), add_line(QStringLiteral("batch"), tr("sequences per call"), true));
    problem->addRow(tr("heads"), add_line(QStringLiteral("heads"), tr("query heads"), true));
    problem->addRow(tr("kv heads"),
                    add_line(QStringLiteral("kv_heads"),
                             tr("key/value heads; fewer than heads = GQA/MQA"), true));
    problem->addRow(tr("seq q"),
                    add_line(QStringLiteral("seq_q"), tr("query sequence length"), true));
    problem->addRow(tr("seq k"),
                    add_line(QStringLiteral("seq_k"), tr("key sequence length"), true));
    problem->addRow(tr("head dim"),
                    add_line(QStringLiteral("head_dim"), tr("head dimension d"), true));
    problem->addRow(tr("dtype"), add_combo(QStringLiteral("dtype"), {"bf16", "fp16", "fp32"}));
    problem->addRow(tr("pass"), add_combo(QStringLiteral("pass"), {"fwd", "bwd", "fwdbwd"}));
    auto* causal = new QCheckBox(tr("causal mask"), problem_box);
    causal->setObjectName(QStringLiteral("causal"));
    m_widgets.insert(QStringLiteral("causal"), causal);
    connect(causal, &QCheckBox::toggled, this, &ParameterPanel::on_edited);
    problem->addRow(QString(), causal);
    problem->addRow(tr("softmax scale"),
                    add_line(QStringLiteral("softmax_scale"), tr("empty: 1/sqrt(d)"), false));
    problem->addRow(tr("dropout"),
                    add_line(QStringLiteral("dropout"),
                             tr("probability; changes work in naive eager mode only"), false));
    layout->addWidget(problem_box);

    auto* algo_box = new QGroupBox(tr("Algorithm and tile"), this);
    auto* algo = new QFormLayout(algo_box);
    QStringList algorithms;  // newest first: flash2, flash1, naive, after any added later
    for (const Algorithm algorithm : all_algorithms())
        algorithms.prepend(QString::fromUtf8(to_string(algorithm)));
    algo->addRow(tr("algorithm"), add_combo(QStringLiteral("algo"), algorithms));
    algo->addRow(tr("block m"),
                 add_line(QStringLiteral("block_m"),
                          tr("query rows per CTA; empty: FlashAttention's rule"), true));
    algo->addRow(tr("block n"),
                 add_line(QStringLiteral("block_n"),
                          tr("key rows per step; empty: FlashAttention's rule"), true));
    algo->addRow(tr("warps"),
                 add_line(QStringLiteral("warps"), tr("warps per CTA; empty: chosen"), true));
    algo->addRow(tr("stages"), add_line(QStringLiteral("stages"),
                                        tr("K/V buffers in SRAM; empty: chosen"), true));
    algo->addRow(tr("model"), add_combo(QStringLiteral("model"), {"cycle", "analytic"}));
    auto* eager = new QCheckBox(tr("naive: eager framework kernels"), algo_box);
    eager->setObjectName(QStringLiteral("naive_eager"));
    m_widgets.insert(QStringLiteral("naive_eager"), eager);
    connect(eager, &QCheckBox::toggled, this, &ParameterPanel::on_edited);
    algo->addRow(QString(), eager);
    for (const char* name : {"block_m", "block_n", "warps", "stages"})
        qobject_cast<QLineEdit*>(m_widgets.value(QLatin1String(name)))
            ->setPlaceholderText(tr("auto"));
    qobject_cast<QLineEdit*>(m_widgets.value(QStringLiteral("softmax_scale")))
        ->setPlaceholderText(tr("1/sqrt(d)"));
    layout->addWidget(algo_box);

    m_error = new QLabel(this);
    m_error->setObjectName(QStringLiteral("error_label"));
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color: #c00000;"));
    m_error->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_error);
    m_cli = new QLabel(this);
    m_cli->setObjectName(QStringLiteral("cli_label"));
    m_cli->setWordWrap(true);
    m_cli->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_cli->setStyleSheet(QStringLiteral("color: #555; font-family: monospace; font-size: 8pt;"));
    m_cli->setToolTip(tr("The same configuration on the command line"));
    layout->addWidget(m_cli);
    layout->addStretch();
    set_configuration(GuiConfiguration{});
}

QLineEdit* ParameterPanel::add_line(const QString& name, const QString& tooltip, bool integer) {
    auto* edit = new QLineEdit(this);
    edit->setObjectName(name);
    edit->setToolTip(tooltip);
    edit->setProperty("help", tooltip);
    if (integer)
        edit->setValidator(
            new QRegularExpressionValidator(QRegularExpression(QStringLiteral("\\d{0,12}")), edit));
    m_widgets.insert(name, edit);
    connect(edit, &QLineEdit::textChanged, this, &ParameterPanel::on_edited);
    return edit;
}

QComboBox* ParameterPanel::add_combo(const QString& name, const QStringList& items) {
    auto* combo = new QComboBox(this);
    combo->setObjectName(name);
    combo->addItems(items);
    m_widgets.insert(name, combo);
    connect(combo, &QComboBox::currentIndexChanged, this, &ParameterPanel::on_edited);
    return combo;
}

void ParameterPanel::add_gpu_file(const QString& path) {
    auto* gpu = qobject_cast<QComboBox*>(m_widgets.value(QStringLiteral("gpu")));
    int index = gpu->findData(path);
    if (index < 0) {
        gpu->addItem(tr("file: %1").arg(path.section(QLatin1Char('/'), -1)), path);
        index = gpu->count() - 1;
    }
    gpu->setCurrentIndex(index);
}

void ParameterPanel::set_configuration(const GuiConfiguration& c) {
    m_filling = true;
    const auto line = [this](const char* name) {
        return qobject_cast<QLineEdit*>(m_widgets.value(QLatin1String(name)));
    };
    const auto combo = [this](const char* name) {
        return qobject_cast<QComboBox*>(m_widgets.value(QLatin1String(name)));
    };
    add_gpu_file(QString::fromStdString(c.gpu));
    auto* gpu = combo("gpu");
    if (const int preset = gpu->findData(QString::fromStdString(c.gpu)); preset >= 0)
        gpu->setCurrentIndex(preset);
    const auto& p = c.problem;
    line("batch")->setText(QString::number(p.batch));
    line("heads")->setText(QString::number(p.heads));
    line("kv_heads")->setText(QString::number(p.kv_heads));
    line("seq_q")->setText(QString::number(p.seq_q));
    line("seq_k")->setText(QString::number(p.seq_k));
    line("head_dim")->setText(QString::number(p.head_dim));
    combo("dtype")->setCurrentText(QString::fromUtf8(to_string(p.dtype)));
    combo("pass")->setCurrentText(QString::fromUtf8(to_string(p.pass)));
    qobject_cast<QCheckBox*>(m_widgets.value(QStringLiteral("causal")))->setChecked(p.causal);
    line("softmax_scale")
        ->setText(p.softmax_scale > 0 ? QString::number(p.softmax_scale, 'g', 17) : QString());
    line("dropout")->setText(p.dropout > 0 ? QString::number(p.dropout, 'g', 17) : QString());
    combo("algo")->setCurrentText(QString::fromUtf8(to_string(c.algorithm)));
    line("block_m")->setText(line_text(c.tile.block_m, true));
    line("block_n")->setText(line_text(c.tile.block_n, true));
    line("warps")->setText(line_text(c.tile.warps, true));
    line("stages")->setText(line_text(c.tile.stages, true));
    combo("model")->setCurrentText(QString::fromUtf8(sim::to_string(c.model)));
    qobject_cast<QCheckBox*>(m_widgets.value(QStringLiteral("naive_eager")))
        ->setChecked(c.naive_eager);
    m_filling = false;
    on_edited();
}

void ParameterPanel::set_tile_blocks(std::int64_t block_m, std::int64_t block_n) {
    m_filling = true;
    qobject_cast<QLineEdit*>(m_widgets.value(QStringLiteral("block_m")))
        ->setText(QString::number(block_m));
    m_filling = false;
    qobject_cast<QLineEdit*>(m_widgets.value(QStringLiteral("block_n")))
        ->setText(QString::number(block_n));
}

std::optional<GuiConfiguration> ParameterPanel::collect() {
    GuiConfiguration c;
    c.gpu = qobject_cast<QComboBox*>(m_widgets.value(QStringLiteral("gpu")))
                ->currentData()
                .toString()
                .toStdString();
    // Each field is named by its option's key and read by the options table, as a flag would be.
    for (const sim::SimulationOption& option : sim::simulation_options()) {
        const QString key =
            QString::fromUtf8(option.key.data(), static_cast<qsizetype>(option.key.size()));
        QWidget* widget = m_widgets.value(key);
        if (!widget || key == QLatin1String("gpu")) continue;  // shorthands have no field
        std::string text;
        if (auto* line = qobject_cast<QLineEdit*>(widget)) {
            text = line->text().trimmed().toStdString();
            if (text.empty() && option.text(GuiConfiguration{}) == "0")
                text = "0";  // empty: auto (0)
        } else if (auto* combo = qobject_cast<QComboBox*>(widget)) {
            text = combo->currentText().toStdString();
        } else if (auto* box = qobject_cast<QCheckBox*>(widget)) {
            text = box->isChecked() ? "true" : "false";
        }
        try {
            option.parse(c, text);
        } catch (const ConfigError& e) {
            mark_error(key, QString::fromStdString(e.what()));
            return std::nullopt;
        }
    }
    return c;
}

void ParameterPanel::on_edited() {
    if (m_filling) return;
    clear_errors();
    const auto config = collect();
    if (!config) return;
    try {
        // The simulator's own checks, cheap enough to run on every keystroke.
        config->problem.validate();
        config->tile.validate();
        resolve_gpu_source(config->gpu).validate();
    } catch (const ConfigError& e) {
        mark_error(QString::fromStdString(e.field()), QString::fromStdString(e.what()));
        return;
    }
    m_valid = *config;
    m_cli->setText(QString::fromStdString(equivalent_cli(m_valid)));
    Q_EMIT configuration_edited(m_valid);
}

QStringList ParameterPanel::widgets_for(const QString& field) const {
    if (m_widgets.contains(field)) return {field};
    if (field == QLatin1String("batch*heads"))
        return {QStringLiteral("batch"), QStringLiteral("heads")};
    if (field.startsWith(QLatin1String("tile")))
        return {QStringLiteral("block_m"), QStringLiteral("block_n")};
    return {QStringLiteral("gpu")};  // the GPU description's own keys
}

void ParameterPanel::mark_error(const QString& field, const QString& message) {
    for (const auto& name : widgets_for(field)) {
        auto* widget = m_widgets.value(name);
        if (!widget || m_marked.contains(name)) continue;
        widget->setStyleSheet(QString::fromLatin1(k_invalid_style));
        widget->setToolTip(message);
        widget->setProperty("invalid", true);
        m_marked << name;
    }
    m_error->setText(message);
}

void ParameterPanel::clear_errors() {
    for (const auto& name : m_marked) {
        auto* widget = m_widgets.value(name);
        widget->setStyleSheet(QString());
        widget->setToolTip(widget->property("help").toString());
        widget->setProperty("invalid", false);
    }
    m_marked.clear();
    m_error->clear();
}

QString ParameterPanel::error_text() const {
    return m_error->text();
}

}  // namespace flashscope::gui
